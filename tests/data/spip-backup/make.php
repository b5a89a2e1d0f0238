<?php
// Builds a small SPIP site with SPIP's own API and backs it up with SPIP's `dump` plugin.
// Usage: SPIP_ROOT=DIR php make.php SEED_SPIP_TEXT_FILE OUT.sqlite [N]   (see make.sh)
// Nothing of SPIP is copied here: this script only calls the SPIP installed in SPIP_ROOT.
$seed = file_get_contents($argv[1]);
$out = $argv[2];
$root = getenv('SPIP_ROOT');
chdir($root);
define('_DIR_RESTREINT_ABS', 'ecrire/');
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['HTTP_HOST'] = '127.0.0.1:8765';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/spip.php';
$_SERVER['SCRIPT_NAME'] = '/spip.php';
include_once 'ecrire/inc_version.php';
include_spip('base/abstract_sql');
include_spip('action/editer_objet');
include_spip('action/editer_liens');
include_spip('inc/autoriser');
include_spip('inc/session'); // (its inclusion empties visiteur_session: include it first)
// act as the site's administrator (id_auteur 1, made by the installer)
$GLOBALS['visiteur_session'] = sql_fetsel('*', 'spip_auteurs', 'id_auteur=1');

function rubrique($titre, $parent) {
	$id = objet_inserer('rubrique', $parent, ['titre' => $titre]);
	return $id;
}
function article($rub, $set, $statut, $date) {
	$id = objet_inserer('article', $rub, ['titre' => $set['titre']]);
	objet_modifier('article', $id, $set);
	objet_instituer('article', $id, ['statut' => $statut, 'date' => $date]);
	return $id;
}

$g = rubrique('Groupes de travail', 0);
$r = rubrique('Ramsess', $g);
$rr = rubrique('Les rencontres de ce groupe de travail', $r);
$other = rubrique('Ressources', 0);
$other2 = rubrique('02. Ressources', 0); // the same title as shown (a rank prefix): two rubriques
$sub = rubrique('10. <multi>[fr]Archives 2007[en]2007 archive</multi>', $rr);

$a1 = article($rr, [
	'titre' => '2007/11/22. Synthèse de la 3ème rencontre',
	'surtitre' => 'Articulation des pratiques d’accompagnement et mise en perspectives des spécificités ESS',
	'soustitre' => 'Expérimentation COPECS - Bouches du Rhône',
	'texte' => $seed,
], 'publie', '2008-01-15 10:00:00');
$a2 = article($rr, [
	'titre' => '2008/01/16. Rencontre du 16 janvier 2008 - Invitation',
	'texte' => "{{Invitation}}\n\nLa prochaine rencontre aura lieu le {{16 janvier 2008}} à 14h, à Marseille.\n\n{{{Ordre du jour}}}\n\n-* Retour sur la synthèse du 22 novembre (voir [la synthèse->art$a1])\n-* Support de présentation commun\n\n<quote>Merci de confirmer votre présence.</quote>",
], 'publie', '2008-01-05 09:00:00');
$a3 = article($rr, [
	'titre' => '2008/02/27. Synthèse de la rencontre du 27 février 2008',
	'texte' => "{{Participants}} : Pierre Levy / Intermade ; Amanda Morbelli / Apeas\n\nLe groupe a validé la trame[[Trame présentée par Philippe Oswald le 22 novembre 2007.]] du support commun.\n\n{{{Décisions}}}\n\n|{{Décision}}|{{Qui}}|{{Quand}}|\n|Diffuser le questionnaire|Intermade|mars 2008|\n|Relire la plaquette|Apeas|avril 2008|\n\n<quote>L’accompagnement est d’abord collectif.</quote>\n\nVoir aussi [->art$a1].",
], 'publie', '2008-03-10 11:00:00');
// a document attached to art3 (SPIP copies the file into IMG/pdf/ under a name of its own),
// called in its text
$pdf = sys_get_temp_dir() . '/Trame du support commun.pdf';
file_put_contents($pdf, "%PDF-1.4\n% rencontres test document\n%%EOF\n");
$ajouter_documents = charger_fonction('ajouter_documents', 'action');
[$d1] = $ajouter_documents('new', [['tmp_name' => $pdf, 'name' => 'Trame du support commun.pdf']], 'article', $a3, 'document');
if (!is_numeric($d1)) { fwrite(STDERR, "document: $d1\n"); exit(1); }
objet_modifier('document', $d1, ['titre' => 'Trame du support commun']);
objet_modifier('article', $a3, ['texte' => sql_getfetsel('texte', 'spip_articles', "id_article=$a3") . "\n\nLa trame : <doc$d1>"]);
$a4 = article($rr, [
	'titre' => '2008/04/25. Synthèse en cours de rédaction',
	'texte' => "Brouillon : à relire avant publication.",
], 'prop', '2008-04-28 12:00:00');
$a5 = article($other, [
	'titre' => 'Présentation du réseau',
	'texte' => "Le réseau réunit des acteurs de l’ESS des Bouches du Rhône.",
], 'publie', '2008-02-01 08:00:00');

$a6 = article($sub, [
	'titre' => '2007/10/03. Synthèse de la 1ère rencontre',
	'texte' => "{{Participants}} : Pierre Levy / Intermade ; Marie-ange Favre / Energie Alternative\n\n{{{Présentation du groupe}}}\n\nChacun présente sa structure et ses attentes.\n\nLa prochaine rencontre aura lieu le 31 octobre 2007 à 14h.",
], 'publie', '2007-10-10 10:00:00');
$a7 = article($rr, [
	'titre' => 'Prochaine rencontre du groupe',
	'texte' => "La prochaine rencontre aura lieu le {{9 avril 2008}} à 14h, au Pôle ESS.\n\n{{{Ordre du jour}}}\n\n-* Bilan du questionnaire\n-* Calendrier de la plaquette",
], 'publie', '2008-03-20 09:00:00');

$grp = objet_inserer('groupe_mots', null, ['titre' => 'Thèmes', 'tables_liees' => 'articles']);
$m1 = objet_inserer('mot', $grp, ['titre' => 'accompagnement']);
$m2 = objet_inserer('mot', $grp, ['titre' => 'ESS']);
objet_associer(['mot' => [$m1, $m2]], ['article' => [$a1, $a3]]);
objet_associer(['mot' => $m1], ['article' => $a2]);

// For the benchmark (make.sh SPIP_DIR OUT N): N more meetings in a rubrique of their own, the
// seed's text each time under its own date, one a week from 2000-01-05
$n = intval($argv[3] ?? 0);
if ($n > 0) {
	$big = rubrique('Grand groupe', $g);
	$mois = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre',
		'octobre', 'novembre', 'décembre'];
	for ($i = 0; $i < $n; $i++) {
		$t = strtotime("2000-01-05 +" . (7 * $i) . " days");
		$fr = intval(date('j', $t)) . ' ' . $mois[intval(date('n', $t)) - 1] . ' ' . date('Y', $t);
		article($big, [
			'titre' => date('Y/m/d', $t) . '. Synthèse de la rencontre',
			'texte' => str_replace('22 novembre 2007', $fr, $seed),
		], 'publie', date('Y-m-d 10:00:00', $t + 86400 * 3));
	}
	objet_associer(['mot' => $m1], ['article' => array_map('intval', array_column(sql_allfetsel('id_article', 'spip_articles', "id_rubrique=$big"), 'id_article'))]);
}

// SPIP's dump plugin: what Maintenance → Sauvegarder does (formulaires/sauvegarder.php then
// action/sauvegarder.php), without its HTML progress pages.
include_spip('base/dump');
include_spip('inc/dump');
$status_file = base_dump_meta_name(0);
$dir = dump_repertoire();
$archive = $dir . 'rencontres_test';
@unlink($archive . '.sqlite');
$exclude = lister_tables_noexport();
[$tables, ] = base_liste_table_for_dump($exclude);
$tables = base_lister_toutes_tables('', $tables, $exclude);
$res = dump_init($status_file, $archive, $tables);
if ($res !== true) { fwrite(STDERR, "dump_init: $res\n"); exit(1); }
$status = unserialize(file_get_contents(_DIR_TMP . basename($status_file) . '.txt'));
dump_serveur($status['connect']);
spip_connect('dump');
$done = false;
for ($i = 0; $i < 50 && !$done; $i++) {
	$done = base_copier_tables(_DIR_TMP . basename($status_file) . '.txt', $status['tables'], '', 'dump',
		['max_time' => time() + 60, 'no_erase_dest' => lister_tables_noerase(), 'where' => []]);
}
if (!$done) { fwrite(STDERR, "dump not finished\n"); exit(1); }
dump_end($status_file, 'sauvegarder');
copy($archive . '.sqlite', $out) or exit(1);
echo "articles $a1 $a2 $a3 $a4 $a5 $a6 $a7, rubriques $g $r $rr $other $other2 $sub, mots $m1 $m2, document $d1\n";
echo "dump: $archive.sqlite -> $out (" . filesize($out) . " bytes)\n";
