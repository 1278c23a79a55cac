// The analysis explains itself in English sentences of a few fixed shapes
// (graphmap/analysis/facilitators.py and emergence.py). French users read
// them in French: each shape has a French rendering here, and vocabulary
// codes (worlds, stages) become words in the current language. An unknown
// sentence is shown as it came.
import { getLang, label } from "./i18n";
import type { Lang } from "./state";

type Rule = [RegExp, (m: RegExpMatchArray) => string];

const plural = (n: string, one: string, many: string): string => (n === "1" ? one : many);
const andMore = (s: string): string => s.replace(/ and (\d+) more$/, " et $1 autres").replace(/ and /g, " et ");
const UNITS: Record<string, string> = { days: "jours", months: "mois", years: "ans" };

const FR: Rule[] = [
  [/^has no partner in the graph$/, () => "n'a aucun partenaire dans le graphe"],
  [/^all (\d+) partners are in its own world \((.+)\): it bridges no world$/,
    (m) => `ses ${m[1]} partenaires sont tous dans son propre monde (${m[2]}) : il ne relie aucun monde`],
  [/^links the (.+) worlds(?: \(\+(\d+) more\))?$/,
    (m) => `relie les mondes ${andMore(m[1]!)}${m[2] ? ` (+${m[2]} autres)` : ""}`],
  [/^(\d+) of (\d+) worlds among its (\d+) partners$/,
    (m) => `${m[1]} mondes sur ${m[2]} parmi ses ${m[3]} partenaires`],
  [/^brokers (\d+) pairs of partners from different worlds who are not tied to each other \(liaison (\d+), gatekeeper\/representative (\d+)\)$/,
    (m) => `met en relation ${m[1]} paires de partenaires de mondes différents qui ne se connaissent pas (liaison ${m[2]}, gardien/représentant ${m[3]})`],
  [/^(.+) of cross-world shortest paths pass through it$/,
    (m) => `${m[1]} des plus courts chemins entre mondes passent par lui`],
  [/^without it, part of the network would be cut off from the rest$/,
    () => "sans lui, une partie du réseau serait coupée du reste"],
  [/^acts in (\d+) territor(?:y|ies) with its partners: (.+)$/,
    (m) => `agit dans ${m[1]} ${plural(m[1]!, "territoire", "territoires")} avec ses partenaires : ${andMore(m[2]!)}`],
  [/^constraint ([\d.]+) \(lower = partners less redundant\)$/,
    (m) => `contrainte ${m[1]} (plus bas = partenaires moins redondants)`],
  [/^declared facilitator: (yes|no)$/, (m) => `facilitateur déclaré : ${m[1] === "yes" ? "oui" : "non"}`],
  [/^started (\d+) (days|months|years) ago(?: \(stage (.+)\))?$/,
    (m) => `lancée il y a ${m[1]} ${UNITS[m[2]!]}${m[3] ? ` (stade ${m[3]})` : ""}`],
  [/^just started(?: \(stage (.+)\))?$/,
    (m) => `vient d'être lancée${m[1] ? ` (stade ${m[1]})` : ""}`],
  [/^start date unknown[;,] stage (.+)$/, (m) => `date de lancement inconnue ; stade ${m[1]}`],
  [/^(\d+) members?[;,] more visible than only (\d+)% of the (\d+) initiatives (?:in (.+)|overall)$/,
    (m) => `${m[1]} ${plural(m[1]!, "membre", "membres")} ; plus visible que seulement ${m[2]} % des ${m[3]} initiatives${m[4] ? ` de ${m[4]}` : ""}`],
  [/^growing: (\d+) of its (\d+) members joined in the last 12 months$/,
    (m) => `en croissance : ${m[1]} de ses ${m[2]} membres l'ont rejointe ces 12 derniers mois`],
  [/^members from (\d+) worlds?: (.+)$/,
    (m) => `membres de ${m[1]} ${plural(m[1]!, "monde", "mondes")} : ${m[2]}`],
  [/^a member is a detected facilitator bridge: (.+)$/,
    (m) => `un membre est un pont facilitateur détecté : ${m[1]}`],
  [/^a member \((.+)\) works with a detected facilitator bridge \((.+)\)$/,
    (m) => `un membre (${m[1]}) travaille avec un pont facilitateur détecté (${m[2]})`],
  [/^not ranked: fewer than 2 members$/, () => "non classée : moins de 2 membres"],
  [/^not ranked: all members are in one world$/, () => "non classée : tous ses membres sont du même monde"],
  [/^score damped: no longer young$/, () => "score atténué : n'est plus jeune"],
];

const WORLD_CODES = /\b(CIVIL_SOCIETY|ECONOMIC|SOCIAL_ECONOMY|PUBLIC|ACADEMIC|FUNDING|INTERMEDIARY)\b/g;
const STAGE_CODES = /\b(EMERGENCE|EXPERIMENTATION|CONSOLIDATION|SCALING)\b/g;

/** One reason from the analysis, in `lang` (the current language by default). */
export function reason(text: string, lang: Lang = getLang()): string {
  let out = text;
  if (lang === "fr") {
    for (const [re, render] of FR) {
      const m = text.match(re);
      if (m) { out = render(m); break; }
    }
  }
  return out.replace(WORLD_CODES, (w) => label("world", w, lang))
    .replace(STAGE_CODES, (s) => label("stage", s, lang));
}
