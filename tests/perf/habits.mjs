// How readers type a search on a phone, as deterministic rewrites of an article's own words: the known-item
// queries of `cargo xtask eval-search` (tests/perf/eval.mjs). Each habit takes a few consecutive words of a
// title (and, for one habit, a word of the body) and types them as a reader with that habit would; it answers
// null when the habit has nothing to change in those words, and the harness moves to the next article.
// These are typing habits, not text rules: the normalizer the engine uses is `sahifa_core::normalize`, and no
// rule here is one of its rules.

const ARABIC_WORD = /[\u0621-\u064A]+/g;

/** The Arabic words of a text, without marks, digits or punctuation. */
export function wordsOf(text) {
  return (text.replace(/[\u064B-\u065F\u0670\u0640]/g, '').match(ARABIC_WORD) ?? []).filter((word) => word.length >= 2);
}

/** Two or three consecutive words of the title (by `n`): the run a reader remembers, the one whose words are
 *  rarest in the archive (`idf` of a word; ties to the first), so "القبض على" is never the whole query. */
function titleRun(title, n, idf) {
  const words = wordsOf(title);
  if (words.length === 0) return null;
  const take = Math.min(words.length, 2 + (n % 2));
  let best = 0;
  let bestWeight = -1;
  for (let start = 0; start + take <= words.length; start++) {
    const weight = words.slice(start, start + take).reduce((sum, word) => sum + idf(word), 0);
    if (weight > bestWeight) [best, bestWeight] = [start, weight];
  }
  return words.slice(best, best + take);
}

/** The inverse document frequency of each word of `articles` (titles and bodies), as a function. */
export function rarity(articles) {
  const frequency = new Map();
  for (const { title, body } of articles) {
    for (const word of new Set(wordsOf(`${title} ${body ?? ''}`))) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  }
  return (word) => Math.log(articles.length / (frequency.get(word) ?? 1));
}

const replaceAll = (words, pairs) => words.map((word) => pairs.reduce((w, [from, to]) => w.replace(from, to), word));
const changed = (typed, words) => (typed.join(' ') === words.join(' ') ? null : typed.join(' '));

const FATHA = '\u064E', DAMMA = '\u064F', KASRA = '\u0650', SUKUN = '\u0652', SHADDA = '\u0651', TANWIN_FATH = '\u064B';

/** Each habit: a name, what it means, and the query it types for article `{ title, body }` and number `n`. */
export const HABITS = [
  {
    name: 'exact',
    means: 'the title words as written (the control)',
    type: ({ title }, n, idf) => titleRun(title, n, idf)?.join(' ') ?? null,
  },
  {
    name: 'lazy letters',
    means: 'no hamza on alef, ه for final ة, ي for final ى',
    type: ({ title }, n, idf) => {
      const words = titleRun(title, n, idf);
      return words && changed(replaceAll(words, [[/[أإآ]/g, 'ا'], [/ة$/, 'ه'], [/ى$/, 'ي']]), words);
    },
  },
  {
    name: 'clitics',
    means: 'و glued to a word, بال/وال/لل for ال, or ال left off',
    type: ({ title }, n, idf) => {
      const words = titleRun(title, n, idf);
      if (!words) return null;
      // The clitic goes on the last word that can take it, so the guard words (وزارة…) are met as they come.
      const at = words.length - 1 - (n % words.length);
      const word = words[at];
      const definite = word.startsWith('ال') && word.length >= 5;
      const choice = n % 4;
      let typed;
      if (definite) typed = [`بال${word.slice(2)}`, `وال${word.slice(2)}`, `لل${word.slice(2)}`, word.slice(2)][choice];
      else if (!word.startsWith('و')) typed = `و${word}`;
      else return null;
      return [...words.slice(0, at), typed, ...words.slice(at + 1)].join(' ');
    },
  },
  {
    name: 'Persian keyboard',
    means: 'ی for ي and ى, ک for ك',
    type: ({ title }, n, idf) => {
      const words = titleRun(title, n, idf);
      return words && changed(replaceAll(words, [[/[يى]/g, 'ی'], [/ك/g, 'ک']]), words);
    },
  },
  {
    name: 'pasted tashkeel',
    means: 'vowel marks, shadda and tanwin on every word, as copied from a vocalized text',
    type: ({ title }, n, idf) => {
      const words = titleRun(title, n, idf);
      if (!words) return null;
      const marks = [FATHA, KASRA, DAMMA, SUKUN];
      return words
        .map((word, w) => [...word].map((letter, i) => letter + (i === 1 && (n + w) % 3 === 0 ? SHADDA : '') + (i === word.length - 1 ? TANWIN_FATH : marks[(i + w + n) % 4])).join(''))
        .join(' ');
    },
  },
  {
    name: 'last word cut',
    means: 'the last word still being typed: its first 60–80 % of letters',
    type: ({ title }, n, idf) => {
      const words = titleRun(title, n, idf);
      const last = words?.at(-1);
      if (!last || last.length < 4) return null;
      const keep = Math.max(2, Math.min(last.length - 1, Math.round(last.length * (0.6 + 0.05 * (n % 5)))));
      return [...words.slice(0, -1), last.slice(0, keep)].join(' ');
    },
  },
  {
    name: 'title + body word',
    means: 'one title word and one word of the body, both of five letters or more',
    type: ({ title, body }, n, idf) => {
      const long = (words) => words.filter((word) => word.length >= 5);
      const titleWords = long(wordsOf(title));
      const bodyWords = long(wordsOf(body ?? '')).filter((word) => !titleWords.includes(word));
      if (titleWords.length === 0 || bodyWords.length === 0) return null;
      // A word of the title the reader recalls (the rarest), and one of the body's rarer half.
      const byRarity = (words) => [...new Set(words)].sort((a, b) => idf(b) - idf(a) || (a < b ? -1 : 1));
      const rareBody = byRarity(bodyWords).slice(0, Math.ceil(bodyWords.length / 2));
      return `${byRarity(titleWords)[0]} ${rareBody[(n * 13) % rareBody.length]}`;
    },
  },
];

/** The scale benchmark's one habit (`cargo xtask bench-scale`, issue 10's known-item figure): the title run
 *  with hamza on alef left off and, for every third query, the last word cut to 70 % of its letters. */
export const AS_READERS_TYPE = {
  name: 'as readers type',
  means: 'no hamza on alef; every third query\'s last word cut to 70 % of its letters',
  type: ({ title }, n, idf) => {
    const typed = titleRun(title, n, idf)?.map((word) => word.replace(/[أإآ]/g, 'ا'));
    const last = typed?.at(-1);
    if (!last) return null;
    if (n % 3 === 0 && last.length >= 5) typed[typed.length - 1] = last.slice(0, Math.ceil(last.length * 0.7));
    return typed.join(' ');
  },
};

/** Rank of known item `item` among `ids` (0 first), or -1: the article itself or one with the very same title
 *  (`titles`: id → title), since the corpora hold some articles twice under different addresses and no title
 *  query can tell such twins apart. */
export function rankOf(ids, item, titles) {
  return ids.findIndex((id) => id === item.id || titles.get(id) === item.title);
}

/** The most articles whose titles may hold a known item's title run: beyond ten, no engine can be expected
 *  to rank the one meant in its first ten («أبرز أخبار السبت» heads a bulletin every Saturday). */
const IDENTIFYING_TITLES = 10;

/** A function telling whether a run of title words picks out few enough articles (`IDENTIFYING_TITLES`):
 *  how many titles hold every word of it, as written. */
export function identifying(articles) {
  const titlesWith = new Map();
  articles.forEach(({ title }, place) => {
    for (const word of new Set(wordsOf(title))) {
      if (!titlesWith.has(word)) titlesWith.set(word, []);
      titlesWith.get(word).push(place);
    }
  });
  return (run) => {
    const lists = run.map((word) => titlesWith.get(word) ?? []).sort((a, b) => a.length - b.length);
    const others = lists.slice(1).map((list) => new Set(list));
    return lists[0].filter((place) => others.every((set) => set.has(place))).length <= IDENTIFYING_TITLES;
  };
}

/** `count` known items per habit: articles spread evenly over `articles` (the archive's order), each typed
 *  with the habit; an article the habit cannot change, or whose title run does not pick it out among the
 *  archive's titles (`identifies`, from `identifying`), gives its turn to the next one. `idf` from `rarity`.
 *  Answers the items and how many articles were passed over as not picked out by their title run. */
export function knownItems(articles, habit, count, idf, identifies) {
  const items = [];
  let passedOver = 0;
  const wanted = Math.min(count, articles.length);
  for (let n = 0; n < wanted; n++) {
    const first = Math.floor(((n + 0.5) / wanted) * articles.length);
    for (let step = 0; step < 20 && first + step < articles.length; step++) {
      const target = articles[first + step];
      const run = titleRun(target.title, n, idf);
      if (!run || !identifies(run)) {
        passedOver += run ? 1 : 0;
        continue;
      }
      const query = habit.type(target, n, idf);
      if (query) {
        items.push({ id: target.id, title: target.title, query });
        break;
      }
    }
  }
  return { items, passedOver };
}
