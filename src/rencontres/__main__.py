from rencontres.cli import main

main()
