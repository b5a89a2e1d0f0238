<?php
// Prepares a fresh SPIP 4.3.5 (../shared/tools/spip-engine/setup.sh) for tests/test_publish.py,
// with SPIP's own API: the shipped group's rubriques, two of its three keywords, and a
// rédacteur. Usage: SPIP_ROOT=DIR php setup.php   (prints "ok" and the numbers)
// Nothing of SPIP is copied here: this script only calls the SPIP installed in SPIP_ROOT.
$root = getenv('SPIP_ROOT');
chdir($root);
define('_DIR_RESTREINT_ABS', 'ecrire/');
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['HTTP_HOST'] = '127.0.0.1';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/spip.php';
$_SERVER['SCRIPT_NAME'] = '/spip.php';
include_once 'ecrire/inc_version.php';
include_spip('base/abstract_sql');
include_spip('action/editer_objet');
include_spip('action/editer_liens');
include_spip('action/editer_auteur');
include_spip('inc/auth');
include_spip('inc/autoriser');
include_spip('inc/session');
$GLOBALS['visiteur_session'] = sql_fetsel('*', 'spip_auteurs', 'id_auteur=1');

$g = objet_inserer('rubrique', 0, ['titre' => 'Groupes de travail']);
$r = objet_inserer('rubrique', $g, ['titre' => 'Ramsess']);
$rr = objet_inserer('rubrique', $r, ['titre' => '01. Les rencontres de ce groupe de travail']);
$other = objet_inserer('rubrique', 0, ['titre' => 'Ressources']);
$grp = objet_inserer('groupe_mots', null, ['titre' => 'Thèmes', 'tables_liees' => 'articles',
	'minirezo' => 'oui', 'comite' => 'oui']);
$m1 = objet_inserer('mot', $grp, ['titre' => 'Accompagnement création / développement d’activités']);
$m2 = objet_inserer('mot', $grp, ['titre' => 'Agenda LaPlateforme']);
// a rédacteur (statut 1comite), with a password of the local test site only
$a = auteur_inserer();
auteur_modifier($a, ['nom' => 'Rédactrice', 'email' => 'redac@example.org']);
sql_updateq('spip_auteurs', ['statut' => '1comite', 'login' => 'redac', 'source' => 'spip'],
	"id_auteur=$a");
include_spip('inc/auth');
auth_modifier_pass('spip', 'redac', 'redac-pass-123', $a);
echo "ok rubriques $g $r $rr $other mots $m1 $m2 auteur $a\n";
