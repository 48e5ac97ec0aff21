/**
 * The coach's word lists. Plain data, kept apart from the rules so that a missed word is a
 * one-line fix. Every entry is lower case; multi-word entries are written with single spaces.
 *
 * Why our own lists beside compromise: compromise tags many sentence-initial words that are both
 * nouns and verbs ("Email", "Book", "Draft", "Schedule") as nouns, and it cannot know which verbs
 * name a result ("increase", "grow") rather than an action. The lists decide first; compromise is
 * only asked about words the lists do not know.
 */

const words = (text: string): ReadonlySet<string> => new Set(text.trim().split(/\s+/));

/**
 * Verbs that start a concrete action: something a person can do in one sitting and see done.
 * Base forms only; the rules de-inflect ("emailing", "booked") before looking a word up.
 */
export const ACTION_VERBS: ReadonlySet<string> = words(`
  accept add adjust agree allocate analyse analyze announce answer apply approve archive arrange
  ask assemble assign attach attend audit automate back bake benchmark bike block book bookmark
  bring brief brainstorm browse budget buy calculate calibrate call cancel capture chart chase
  check choose circulate clarify classify clean clear click clip close code collect comment
  commit compare compile complete compose compute configure confirm connect contact copy correct
  count cover create cross cut debug decide declutter decline define delegate delete deliver demo
  deploy describe design devise dial disable discuss dispose distribute do document donate download
  draft draw drop dump dust edit email e-mail empty enable enroll enrol enter estimate evaluate
  examine exchange export fax fetch file fill finalise finalize find finish fix flag follow
  forward frame gather give go grade greet hang help hire hold host hunt identify import inform
  initiate inspect install interview introduce invite invoice iron jot join label lay lead
  leave lend line link list load lock log mail make map mark measure meet memorise memorize
  mention merge message migrate model mop move mow name negotiate note notify offer onboard open
  order organise organize outline pack page paint pair park paste pay phone photocopy pick pin
  ping pitch place plan plant play plug polish post practise practice prepare present price
  print prioritise prioritize process proofread propose prototype prune publish pull purchase
  push put query queue quote raise rank rate read rebook recap record recruit redo refactor refill
  refund register rehearse reinstall release remind remove rename renew reorder repair replace
  reply report request reschedule research reserve reset resolve respond restart restock retire
  return review revise rewrite ring rinse rotate run sand save scan schedule score scrub search
  select sell send set share shop shortlist shred sign sketch skim slot solve sort speak spec
  specify split stack start stock store stretch study submit subscribe summarise summarize
  survey sweep swap switch sync tag take talk tape teach tell test text thank tidy time
  trace track train transcribe transfer translate trash triage trim tune turn type unblock
  uninstall unpack unsubscribe update upgrade upload use validate verify visit vacuum walk wash
  watch water weed weigh wipe wire word wrap write
  jog swim lift cook prep meal stretch floss meditate journal bike hike
  refill restock rehearse retest retrain reread relabel resend resubmit reupload
  demo deprecate dockerize lint ship tweak patch bump roll revert rerun rebase backport
  escalate mentor coach shadow invite pitch prospect qualify upsell cross-sell
  chart page dose administer vaccinate inject swab discharge admit triage refer prescribe
  grade mark photocopy tutor lecture quiz enrol
  declutter vacuum mop hoover sand caulk grout plaster descale defrost
  drink eat sleep exercise loop grab circle ring phone collect attend host explain wrap kick
`);

/**
 * Words that open a vague step: effort with no visible result. Checked as a prefix of the
 * step, longest first, after hedges like "I will" are removed.
 */
export const VAGUE_PHRASES: readonly string[] = [
  "work on",
  "working on",
  "keep working on",
  "continue working on",
  "start working on",
  "get working on",
  "think about",
  "think through",
  "thinking about",
  "think over",
  "look into",
  "looking into",
  "look at",
  "deal with",
  "be more",
  "be less",
  "focus on",
  "focus more on",
  "figure out",
  "explore",
  "consider",
  "handle",
  "tackle",
  "address",
  "sort out",
  "keep an eye on",
  "get on top of",
  "stay on top of",
  "be on top of",
  "make progress on",
  "get started on",
  "get going on",
  "start on",
  "reflect on",
  "check on",
  "catch up on",
  "do more",
  "do better",
  "do something about",
  "prepare for",
  "get ready for",
  "ponder",
  "mull over",
  "play with",
].sort((a, b) => b.length - a.length);

/**
 * Hedges that make any action vague ("try to exercise more"). When what follows is an outcome,
 * the step is judged an outcome instead.
 */
export const TRY_HEDGES: readonly string[] = [
  "try to",
  "try and",
  "attempt to",
  "trying to",
  "attempting to",
];

/** Words that, right after an action verb or at the end, leave the amount vague: "read more". */
export const VAGUE_AMOUNTS: ReadonlySet<string> = words("more less fewer better regularly somehow sometime");

/** Multi-word endings that leave the amount or time vague. */
export const VAGUE_TAILS: readonly string[] = [
  "more",
  "more often",
  "better",
  "regularly",
  "when i can",
  "when possible",
  "if possible",
  "at some point",
  "somehow",
  "as much as possible",
];

/** Verbs that name a result, never a concrete action: "increase revenue", "become a manager". */
export const OUTCOME_VERBS: ReadonlySet<string> = words(`
  increase grow improve boost achieve attain become double triple quadruple maximise maximize
  minimise minimize enhance strengthen expand scale accelerate elevate transform succeed thrive
  excel master exceed surpass outperform decrease gain optimise optimize feel win learn
  flourish prosper overcome conquer perfect deepen widen broaden heal recover attract
  ace crush nail modernise modernize
`);

/**
 * Verbs that are outcomes only when their object is a metric, a state or an amount:
 * "reduce stress" is an outcome, "cut the intro video" is an action.
 */
export const CONTEXT_OUTCOME_VERBS: ReadonlySet<string> = words(`
  reduce cut lower raise hit reach save drive lose drop earn generate get make have keep stay
  sell eliminate build create develop establish close spend land secure be find bring retain
  sustain maintain restore convert
`);

/** Multi-word openings that are always outcomes. */
export const OUTCOME_PHRASES: readonly string[] = [
  "pay off",
  "pay down",
  "get into",
  "get in shape",
  "get back in shape",
  "get out of debt",
  "be known",
  "be seen as",
  "be recognised",
  "be recognized",
  "be the",
  "be a",
  "be an",
  "be in",
  "be on track",
  "be able to",
  "have more",
  "have less",
  "make more",
  "make less",
  "stop being",
  "pass the",
  "pass my",
  "pass a",
  "pass an",
  "pass all",
  "live a",
].sort((a, b) => b.length - a.length);

/** Openings of an action that look like outcome verbs: "reach out to Dana", "get back to Raj". */
export const ACTION_PHRASES: readonly string[] = [
  // Issue 18, seventh pass: "learn by heart" is to memorise a given list, not to master a subject.
  "learn by heart",
  "reach out",
  "get back to",
  "get in touch",
  "get quotes",
  "get a quote",
  "make a list",
  "make an appointment",
  "make a booking",
  "make a reservation",
  "make a call",
  "make a plan",
  "make time",
  "have a chat",
  "have a call",
  "have a word",
  "have lunch",
  "have coffee",
  "keep a",
  "set up",
  "sign up",
  "follow up",
  "check in",
  "touch base",
  "drop off",
  "pick up",
  "write down",
  "write up",
  "clear out",
  "clean up",
  "clean out",
  "throw out",
  "throw away",
  "hand in",
  "hand over",
  "turn in",
  "turn off",
  "fill in",
  "fill out",
  "log in",
  "go to",
  "go for",
  "go over",
  "go through",
  "take out",
  "put away",
  "look up",
  "mail out",
  "send out",
  "print out",
  "run through",
  "walk through",
  "talk to",
  "talk with",
  "speak to",
  "speak with",
  "meet with",
  "sit down with",
].sort((a, b) => b.length - a.length);

/**
 * Nouns that name a measure or a state someone wants to move: the object that turns
 * "reduce"/"get"/"keep" into an outcome, and the head of outcome noun phrases.
 */
export const OUTCOME_NOUNS: ReadonlySet<string> = words(`
  revenue revenues sales profit profits profitability margin margins income earnings arr mrr
  costs cost spend spending expenses expense churn retention engagement satisfaction morale
  productivity efficiency performance quality growth conversion conversions traffic followers
  subscribers users customers clients leads signups sign-ups downloads nps csat uptime latency
  errors weight pounds kg kilos lbs fat fitness health stamina strength sleep stress anxiety debt
  savings wealth confidence skills skill knowledge visibility awareness trust reputation culture
  communication collaboration relationships relationship balance happiness wellbeing well-being
  turnover attrition absenteeism wait waits readmissions infections outcomes scores score grades
  attendance quota target targets share adoption usage output throughput velocity capacity impact
  presence brand loyalty referrals accuracy compliance safety diversity inclusion energy mood
  habits habit lifestyle routine business career life rate rates ratio backlog bill bills
  overtime deals deal money funding investment investments round freedom independence
  pressure cholesterol rating ratings rank ranking degree promotion raise bonus
  job role award prize partnership experience
  shape muscle marathon coverage standards standard expectations fluency time times
  complaints incidents accidents bugs defects reliability stability security frustration
  noise clutter waste delays delay tension conflict burnout independence autonomy ownership
  alignment clarity focus discipline patience consistency momentum involvement participation turnout
`);

/** Adjectives that describe a state someone wants to reach: "stay healthy", "a tidy house". */
export const STATE_ADJECTIVES: readonly string[] = [
  "happy",
  "happier",
  "healthy",
  "healthier",
  "fit",
  "fitter",
  "strong",
  "stronger",
  "better",
  "best",
  "faster",
  "leaner",
  "richer",
  "calm",
  "calmer",
  "more",
  "less",
  "fewer",
  "higher",
  "lower",
  "bigger",
  "smaller",
  "successful",
  "profitable",
  "organized",
  "organised",
  "productive",
  "confident",
  "debt-free",
  "consistent",
  "efficient",
  "motivated",
  "engaged",
  "aligned",
  "informed",
  "satisfied",
  "known",
  "recognized",
  "recognised",
  "promoted",
  "certified",
  "proficient",
  "fluent",
  "independent",
  "sustainable",
  "stable",
  "secure",
  "visible",
  "top",
  "world-class",
  "famous",
  "tidy",
  "tidier",
  "clean",
  "cleaner",
  "clutter-free",
  "cozy",
  "cosy",
  "safe",
  "safer",
  "reliable",
  "thriving",
  "smooth",
  "smoother",
  "seamless",
  "shorter",
  "longer",
  "quicker",
  "easier",
  "simpler",
  "lighter",
  "slimmer",
  "fitter",
  "rested",
  "relaxed",
  "balanced",
  "focused",
  "patient",
  "kinder",
  "closer",
  "accountable",
  "empowered",
  "heard",
  "valued",
  "supported",
  "paid",
  "hired",
  "accepted",
  "published",
  "elected",
  "renovated",
  "organized",
  "staffed",
  "loyal",
  "zero",
  "positive",
  "great",
  "excellent",
  "outstanding",
  "strong",
  "solid",
  "robust",
  "resilient",
  "agile",
  "lean",
  "green",
  "greener",
  "on-time",
  "on time",
  "in shape",
  "on track",
  "under control",
  "fully",
  "truly",
  "well",
];

/** Fast lookup for single-word state adjectives. */
export const STATE_WORDS: ReadonlySet<string> = new Set(STATE_ADJECTIVES.filter((w) => !w.includes(" ")));

/**
 * Nouns that name a task on a to-do list even without a verb: "dentist appointment",
 * "1:1 with Ana", "budget review".
 */
export const TASK_NOUNS: ReadonlySet<string> = words(`
  meeting meetings call calls appointment appt email e-mail invoice agenda review 1:1 1:1s
  one-on-one demo interview checkup check-up standup stand-up session presentation follow-up
  followup reminder booking payment errand errands haircut workout groceries laundry dishes
  lunch dinner breakfast coffee retro retrospective sync kickoff kick-off briefing webinar class
  lesson visit pickup pick-up drop-off renewal filing submission notes minutes huddle debrief
  walkthrough handover handoff training rehearsal drill audit inspection consult consultation
  massage physio therapy exam pitch workshop offsite dentist doctor vet checklist draft reply
  reading homework assignment essay quiz chores chore shopping cleanup clean-up prep to-do todo
  report reports update updates memo summary newsletter digest recap flashcards
`);

/** Forms of "be" and linking verbs: a subject followed by one of these states a result. */
export const COPULAS: ReadonlySet<string> = words(`
  is are was were be been being am feel feels felt seem seems look looks become becomes stay stays
  remain remains get gets got
`);

/** Words that, before a number, mark a change or target: "up 10%", "above 40%". */
export const CHANGE_MARKERS: ReadonlySet<string> = words(`
  up down above below under over beneath at least most from to by
`);

/** Verbs whose object, when large or open-ended, takes more than one sitting. */
export const BIG_VERBS: ReadonlySet<string> = words(`
  build create develop launch redesign rebuild rewrite implement migrate renovate overhaul remodel
  write plan organize organise clean declutter paint redo reorganize reorganise set finish
  complete design refurbish convert transition replace restructure
`);

/** Objects that are projects, not tasks: "build the new website", "write a book". */
export const BIG_OBJECTS: ReadonlySet<string> = words(`
  website site app application platform system systems book novel thesis dissertation course
  curriculum product business company house home kitchen bathroom basement garage attic crm erp
  strategy programme program conference wedding infrastructure backend frontend codebase
  warehouse store shop campaign framework department
`);

/** Words that make any object open-ended: "clean the whole house". */
export const SCOPE_WORDS: ReadonlySet<string> = words("entire whole all every complete full");

/** Words that join clauses; a second action after one of them means "several actions". */
export const CLAUSE_JOINERS: ReadonlySet<string> = words("and then also plus");

/** Subjects that may open a step before a modal: "we will ...", "the team will ...". */
export const SUBJECTS: ReadonlySet<string> = words("i we you they he she team it someone everyone");

/** Modals and hedges removed before judging: "I will", "need to", "please". */
export const MODAL_PREFIXES: readonly string[] = [
  // Issue 18, seventh pass: the impersonal necessity of non-native English ("Is necessary to fill the form").
  "it is necessary to",
  "is necessary to",
  "will",
  "shall",
  "am going to",
  "are going to",
  "is going to",
  "going to",
  "gonna",
  "need to",
  "needs to",
  "have to",
  "has to",
  "got to",
  "gotta",
  "must",
  "should",
  "can",
  "could",
  "would",
  "want to",
  "wants to",
  "would like to",
  "plan to",
  "plans to",
  "planning to",
  "intend to",
  "hope to",
  "aim to",
  "aiming to",
  "wish to",
  "let's",
  "lets",
  "let us",
  "please",
  "kindly",
  "remember to",
  "make sure to",
  "make sure we",
  "make sure i",
  "make sure you",
  "be sure to",
  "don't forget to",
  "do not forget to",
  "i'll",
  "we'll",
  "you'll",
  "i'm going to",
  "we're going to",
  "i'd like to",
  "we'd like to",
  "i'd love to",
  "we'd love to",
  "would love to",
  "i want to",
  "i need to",
  "we need to",
  "i have to",
  "then",
  "also",
  "next",
  "first",
  "finally",
  "just",
  "quickly",
  "todo",
  "to do",
  "to-do",
].sort((a, b) => b.length - a.length);

/** Common English function words, used to tell English from other languages. */
export const ENGLISH_WORDS: ReadonlySet<string> = words(`
  the and to of for with on in at by my our your we i it this that is are be will from about
  up out new all next week before after into each more one two three
`);

/** Function words that are common in other languages using the Latin alphabet and rare in English. */
export const FOREIGN_WORDS: ReadonlySet<string> = words(`
  el la los las del y para con que una por como pero sus lo este esta
  le les des et pour avec une est au aux du sur dans ce cette qui pas
  der die das und mit für fur ein eine zu den nicht ist von dem auf auch ich wir
  o os da em com uma um não nao do dos das para
  il di che per gli della nel non sono
  het een van en op voor met niet ik
  och att som är jag
  hola necesito quiero tengo hacer mañana hoy semana gracias wegen bis morgen heute bitte demain aujourd'hui
`);

/** Month names and abbreviations (lower case). */
export const MONTHS: ReadonlySet<string> = words(`
  january february march april may june july august september october november december
  jan feb mar apr jun jul aug sep sept oct nov dec
`);

/** Weekday names and abbreviations (lower case). */
export const WEEKDAYS: ReadonlySet<string> = words(`
  monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
`);

/** Number words read as quantities. "one" is left out: "one small step" is not a target. */
export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ["two", 2],
  ["three", 3],
  ["four", 4],
  ["five", 5],
  ["six", 6],
  ["seven", 7],
  ["eight", 8],
  ["nine", 9],
  ["ten", 10],
  ["eleven", 11],
  ["twelve", 12],
  ["fifteen", 15],
  ["twenty", 20],
  ["thirty", 30],
  ["forty", 40],
  ["fifty", 50],
  ["hundred", 100],
  ["dozen", 12],
  ["thousand", 1000],
]);

/** Nouns after which a number is a label, not a quantity: "chapter 7", "room 4", "Node 20". */
export const LABEL_NOUNS: ReadonlySet<string> = words(`
  chapter chapters room bed period version step level phase slide slides set page pages section
  unit grade day week floor building ward gate lane item part module lesson sprint season episode
  number no # apartment suite table tier issue ticket release node python java ios android
  windows ubuntu macos iphone pixel bay bus route exit platform term year class problem question
  exercise figure appendix rule article verse line row column track station
`);

/** Units of time: a number before one of these after "in"/"within" is a date, not a measure. */
export const TIME_UNITS: ReadonlySet<string> = words(`
  day days week weeks month months year years quarter quarters fortnight fortnights
`);

/** Words that may sit between a number and its unit: "10 new clients". */
export const UNIT_MODIFIERS: ReadonlySet<string> = words(`
  new more additional extra net active paying qualified monthly weekly daily total fewer less
  of recurring repeat returning unique happy million thousand billion
`);

/** Words that are never a unit. */
export const NOT_UNITS: ReadonlySet<string> = words(`
  by in to from per a an the and or of for within before after each every on at with until till
  this next last than is are was be it its my our your their his her that these those which who
  as so if then when while over under below above between into onto across
`);

/** Words after a number that mean the number is a date or time, not a measure. */
export const TIME_SUFFIXES: ReadonlySet<string> = words("am pm a.m. p.m. o'clock oclock h");

// --- Issue 18, second part: effort-only frames and outcome frames (used by step.ts) ---

/**
 * Verbs that carry on what is already under way: "continue with the course", "keep going",
 * "carry on", "go on improving". Carrying on names no new concrete action, so it is vague.
 */
export const CONTINUE_VERBS: ReadonlySet<string> = words("continue keep carry go stick");

/** Words that, after a carry-on verb, make it carry-on effort: "keep going", "keep on", "keep at it". */
export const CONTINUE_LINKS: ReadonlySet<string> = words("going on up at with to");

/**
 * Placeholder nouns: an object that names nothing concrete ("refactor stuff", "sort the club
 * stuff", "do something for the garden", "the hiring mess").
 */
export const PLACEHOLDER_NOUNS: ReadonlySet<string> = words(
  "stuff things thing something anything mess situation",
);

/** Light verbs that, with "some" or "more" and no count, only want effort: "do some revision". */
export const LIGHT_VERBS: ReadonlySet<string> = words("do spend put give");

/** Indefinite amounts after a light verb: "do some revision", "put more effort in". */
export const INDEFINITE_AMOUNTS: ReadonlySet<string> = words("some more extra something");

/** Comparatives of effort or manner right after a verb: "work harder", "eat healthier". */
export const EFFORT_COMPARATIVES: ReadonlySet<string> = words(
  "harder healthier faster smarter earlier longer",
);

/** Hedges of amount or time anywhere after the verb: "fix up the bedroom a bit", "more often in the evenings". */
export const HEDGED_AMOUNTS: readonly string[] = [
  "more often",
  "a bit",
  "a little",
  "little by little",
  "sometime",
  "whenever",
];

/**
 * Verbs of a state, not a doing: to know, to understand, to own, to be. A step that opens with
 * one names a state to be in ("know all 50 state capitals", "be moved into the new flat").
 */
export const STATIVE_VERBS: ReadonlySet<string> = words("know understand own be being");

/** Past participles that do not end in -ed: "grade 5 piano done", "back pain gone". */
export const IRREGULAR_PARTICIPLES: ReadonlySet<string> = words(`
  done gone paid sold built made taken written won seen known sent spent set shut got gotten
  begun run sorted
`);

/** Adjectives that say something is finished or in place: "house tidy before they arrive", "site live". */
export const COMPLETION_STATES: ReadonlySet<string> = words("done gone ready live complete tidy over");

/**
 * Events with a result that is won or lost, passed or failed, not simply done: "pass driving
 * theory test", "complete the half marathon".
 */
export const EVENT_NOUNS: ReadonlySet<string> = words(`
  test exam exams race marathon match game tournament certification certificate qualification
  degree diploma triathlon competition championship audition final finals 5k 10k
`);

/** Verbs that take an event as their result: pass, win, complete, finish, ace. */
export const RESULT_VERBS: ReadonlySet<string> = words("pass win complete finish ace");

/** Time units that open a time-boxed activity: "30 min walk at lunch". */
export const CLOCK_UNITS: ReadonlySet<string> = words("min mins minute minutes h hr hrs hour hours");

/** Shorthand read as the word it stands for: "w/" is "with", "abt" is "about". */
export const SHORTHAND: ReadonlyMap<string, string> = new Map([
  ["w/", "with"],
  ["abt", "about"],
  ["thru", "through"],
]);

/**
 * Verbs of degree: they name a change in how much or how good, never an end point (issue 18,
 * third pass). With no amount ("improve code quality", "grow my business") the step has no end
 * anyone could check, so it is vague; with one ("reduce churn to 2%") it is an outcome.
 */
export const DEGREE_VERBS: ReadonlySet<string> = words(`
  increase grow improve boost enhance strengthen decrease reduce lower raise deepen widen broaden
  expand accelerate maximise maximize minimise minimize optimise optimize better modernise modernize
`);

/** Verbs that name a state someone is in, not something done: "feel less stressed", "have better balance". */
export const STATE_VERBS: ReadonlySet<string> = words("feel have seem look stay");

/** Words that make a comparative without the -er form: "save more", "less screen time". */
export const COMPARATIVE_WORDS: ReadonlySet<string> = words("more less fewer");

/** What attention is measured in: "should be my focus", "deserves more energy", "more of a priority". */
export const ATTENTION_NOUNS: ReadonlySet<string> = words("focus priority attention energy effort");

/** The links that promise attention to a subject: "X should be my focus", "X deserves more energy". */
export const ATTENTION_LINKS: ReadonlySet<string> = words("be is are deserves deserve needs need gets get");

// --- Issue 18, fourth pass: vague shapes (used by step.ts) ---

/**
 * Adverbs of effort, depth or some-day timing: they say how hard or how well, or "one day", never
 * what is done or by when ("understand statistics properly", "take it more seriously", "invest
 * someday"). Any step that leans on one names a wish, not an action or a checkable state.
 */
export const EFFORT_ADVERBS: ReadonlySet<string> = words(
  "properly seriously deeply thoroughly consistently someday eventually somehow",
);

/** Words of a modal that wish rather than commit: "want to", "I'd like to", "hope to", "I'd love to". */
export const WISH_WORDS: ReadonlySet<string> = words("want wants like love hope wish");

/** Stance adverbs between the person and the modal: "I really want to", "we still need to". */
export const STANCE_ADVERBS: ReadonlySet<string> = words("really still also just definitely honestly truly");

/** Verbs of being, feeling or knowing: after a wish, with no measure, they name a wished-for state. */
export const WISHED_STATE_VERBS: ReadonlySet<string> = words("feel be become know understand stay");

/**
 * Verbs of looking after or putting in order: concrete with a bounded object ("sort the receipts",
 * "fix the flaky login test"), vague on a whole area of life ("sort the garden", "fix my posture").
 */
export const MANAGING_VERBS: ReadonlySet<string> = words(`
  sort organise organize arrange manage handle fix maintain support serve work declutter build open
`);

/**
 * Areas of life: wholes that no one sitting finishes ("my finances", "the garden", "the
 * community", "the codebase"). As the head of a managing verb's object they make the step vague.
 */
export const LIFE_AREAS: ReadonlySet<string> = words(`
  money finances finance spending budget health body posture diet mind garden house home place
  community neighbourhood neighborhood life habits codebase pipeline relationships rapport network
  career markets market businesses everything
`);

/** Verbs of knowing: "learn about wine" names a topic, "learn the 50 irregular verbs" a thing known. */
export const KNOWING_VERBS: ReadonlySet<string> = words("learn know understand");

// --- Issue 18, fifth pass: wished-for states read as outcomes (used by step.ts) ---

/**
 * Phrases of some-day timing, depth, generality or "always": like `EFFORT_ADVERBS`, they say
 * when-ever or how-much, never what is done or by when ("learn Go at some point", "read up on VAT
 * in depth", "be tidier in general", "keep the car clean all the time").
 */
export const EFFORT_PHRASES: readonly string[] = [
  "at some point",
  "some day",
  "in depth",
  "in deep",
  "in general",
  "all the time",
];

/**
 * Verbs of being, having or getting after a bare "To" ("To have the permit", "To be the top
 * seller", "To find a bigger flat"): a state or standing to reach, read as an outcome. After any
 * other verb the "To" only frames a doing, which is judged as the doing (`toDoing` in step.ts).
 */
export const STANDING_VERBS: ReadonlySet<string> = words(
  "be have get become find arrive receive obtain reach win gain achieve",
);

// --- Issue 18, sixth pass: terse noun phrases and wished-for standings (used by step.ts) ---

/**
 * Heads of a noun phrase that name an area of work or an activity, not a deed or a state: "pipeline
 * hygiene", "stakeholder mgmt", "house admin", "perf work", "side income ideas". With no verb, no
 * occasion and no end, such a phrase is a topic, so the step is vague.
 */
export const TOPIC_HEADS: ReadonlySet<string> = words(`
  stuff things hygiene admin mgmt management work works projects ideas improvements fundamentals
  basics debt maintenance upkeep mindset outreach
`);

/**
 * Attributes that praise a person, with no measure: "a good neighbour", "a trusted advisor", "the
 * go-to person", "useful to the club". To be or become one names a standing no day can confirm.
 * A rank ("the best seller of the team", "the top rep"), an office ("chair", "a director") or a
 * yes-or-no state ("debt-free", "promoted") is not one of them and stays an outcome.
 */
export const PRAISE_WORDS: ReadonlySet<string> = words(`
  good great better decent real true proper trusted trustworthy reliable dependable useful helpful
  valuable go-to lifelong respected effective expert supportive
`);

/** Measures that are a yes-or-no state, not a degree: "financial freedom" is had or not. */
export const ABSOLUTE_STATES: ReadonlySet<string> = words("freedom independence autonomy");

/** Attributes of a person's body or habits with no measure: "get fit", "be in form", "get organised". */
export const PERSON_STATES: ReadonlySet<string> = words("fit organised organized form shape");

// --- Issue 18, seventh pass: vague doings on concrete-looking objects (used by step.ts) ---

/**
 * Dispositions one gets into or stays in, never finished: "get involved", "get serious about
 * Spanish", "stay motivated", "be more proactive". To get or stay so names no deed and no state a
 * day could confirm.
 */
export const DISPOSITIONS: ReadonlySet<string> = words(`
  involved serious curious engaged motivated active proactive disciplined consistent focused
  committed open-minded positive mindful present connected
`);

/**
 * Nouns that name effort or attention itself, not a thing done: "make attention to the prices",
 * "make progress in maths", "do my bit", "do the best for the team". After a light verb the doing
 * is all in the noun, so no act is named.
 */
export const EFFORT_NOUNS: ReadonlySet<string> = words("attention effort efforts progress best bit");

/** Light verbs whose doing is in their noun: "make an effort", "do my bit", "pay attention", "give the best". */
export const NOUN_LIGHT_VERBS: ReadonlySet<string> = words("make do give pay put take");

/**
 * What is found when a way, not a thing, is looked for: "find a way to …", "find a solution for
 * the damp", "find the motivation". A plumber or a receipt can be found and ticked off; a way can't.
 */
export const MEANS_NOUNS: ReadonlySet<string> = words(`
  way ways solution solutions motivation balance approach answer answers fix
`);

/** Verbs of starting a doing: "start running again", "begin journaling", "take up swimming". */
export const START_VERBS: ReadonlySet<string> = words("start begin restart resume");

/**
 * Verbs of putting in order or making leaner that need a bounded object to be finished ("tidy the
 * desk", "clean the oven"); with no object at all ("declutter", "tidy up", "give back") or on a
 * working system as a whole (`SYSTEM_AREAS`) they name a direction.
 */
export const ORDERING_VERBS: ReadonlySet<string> = words(`
  declutter tidy clean reorganise reorganize streamline overhaul simplify organise organize sort fix
  give
`);

/**
 * Working systems no one sitting finishes: "clean up the codebase", "fix comms with ops",
 * "streamline our processes". As the head of an ordering verb's object they make the step vague.
 */
export const SYSTEM_AREAS: ReadonlySet<string> = words(`
  codebase infra infrastructure alerting monitoring tooling processes process comms communication
  communications workflow workflows systems operations ops
`);

/** Generic people, not a person one could contact: "help people in the area", "help others". */
export const GENERIC_PEOPLE: ReadonlySet<string> = words(`
  people others everyone anyone folks someone somebody
`);

/**
 * Words that appraise a thing with no check: "make the garden beautiful", "get the room looking
 * nice", "decorate the hall in a nice way". Tidy, clean, ready or live can be checked on a day
 * (`COMPLETION_STATES`, `STATE_WORDS`); beautiful or welcoming cannot.
 */
export const APPRAISAL_WORDS: ReadonlySet<string> = words(`
  beautiful nice nicer lovely special attractive pretty cosy cozy welcoming pleasant inviting stylish
  memorable amazing awesome perfect homely modern professional
`);

/**
 * Measures and standings with no level of their own: "the amount of toil", "the number of
 * meetings", "our profile in the town". After a verb of degree with no amount they name a
 * direction, not an end.
 */
export const MEASURE_NOUNS: ReadonlySet<string> = words(`
  amount number level levels share frequency volume profile visibility presence reputation image
  awareness standing
`);

/** Verbs of thinking: with no thing to produce ("think in the pension", "reflect more") they name attention. */
export const THINKING_VERBS: ReadonlySet<string> = words("think thinking reflect ponder muse contemplate");

/** Verbs of wishing for a thing to be so: "I want the house to feel more like home". */
export const THING_WISH_VERBS: ReadonlySet<string> = words("want wants like love hope wish need");

/**
 * Marks of a session at a set time or for a set length in a terse note: "timed", "timebox", and the
 * clock ("8am", "7:30", "Sat am"), read with `CLOCK_UNITS` for lengths ("30 min", "2h").
 */
export const SESSION_MARKS: ReadonlySet<string> = words("timed timebox timeboxed am pm");

/** Words that set a level, so a note with a time is a result to reach: "sub 25 min 5k", "under 2h". */
export const LEVEL_MARKS: ReadonlySet<string> = words("sub under below over above within than max");

// --- Issue 18, eighth pass: the action/outcome boundary in terse and non-native notes (used by step.ts) ---

/** Words that open a question a step can leave standing: "learn how the market works", "understand why churn rose". */
export const QUESTION_WORDS: ReadonlySet<string> = words("how what why where who when which whether");

/** Amounts with no end, after a verb of knowing: "learn some ML", "learn a bit of coding", "understand a little". */
export const OPEN_AMOUNTS: ReadonlySet<string> = words("some bits bit little more");

/** Marks of a time one can be at, which make "I can …" an offer for an occasion, not an ability. */
export const OFFER_TIMES: ReadonlySet<string> = words(
  "today tonight tomorrow later next this morning afternoon evening weekend",
);

// --- Issue 18, ninth pass: the boundaries left on held-out text (used by step.ts) ---

/** States an open comparative can name after "more": "more in order", "more under control". */
export const OPEN_STATES: ReadonlySet<string> = new Set(["in order", "under control", "on top"]);

/** Feasts and seasons a state can be due for: "the house more cosy for Christmas". */
export const FEASTS: ReadonlySet<string> = words(
  "christmas xmas easter eid diwali hanukkah thanksgiving summer winter spring autumn holidays",
);

// --- Issue 18, tenth pass: wished states of things, holds kept, activity nouns (used by step.ts) ---

/** Modals that require a state of a thing: "the system must be more stable", "the docs need to be clearer". */
export const REQUIRING_MODALS: ReadonlySet<string> = words("must should need needs has have ought");

/** Verbs that link a thing to the state it is in: "be", "look", "feel", "become", "get", "seem", "stay". */
export const LINKING_VERBS: ReadonlySet<string> = words("be feel look seem become get stay");

/**
 * Holds one keeps on a thing, read after keep, get, take or have: "a closer eye on", "a firm grip
 * on", "a handle on", "control over", "to grips with". A hold is kept, never finished.
 */
export const HOLD_NOUNS: ReadonlySet<string> = words("eye eyes grip handle hold tabs control");

/** States a thing is held in: "under control", "in check". */
export const HELD_STATES: ReadonlySet<string> = new Set(["under control", "in check"]);

/**
 * Verbs that, with "up" and a subject, mean to improve a skill ("brush up Spanish", "swot up
 * maths", "bone up tax law"): a change with no end, with or without "on".
 */
export const SKILL_UP_VERBS: ReadonlySet<string> = words("brush swot bone");

/**
 * Nouns of an activity that goes on, with no object of its own and no done state: "cleanup",
 * "practice", "prep", "catch-up", "follow-ups". Bare in a terse note ("code cleanup", "Spanish
 * practice") they name a kind of work, not a deed one can tick off.
 */
export const ACTIVITY_NOUNS: ReadonlySet<string> = words(`
  cleanup clean-up practice prep catch-up catchup follow-up follow-ups followups
`);

/** Verbs that keep, get, take or have a hold on a thing: "keep a closer eye on", "take control over". */
export const HOLDING_VERBS: ReadonlySet<string> = words("keep get take have stay");

// --- Issue 18, eleventh pass ---

/** Verbs of agreeing with another party: "sign the lease with the agency" needs the agency to agree. */
export const AGREEING_VERBS: ReadonlySet<string> = words(
  "sign agree negotiate settle close seal conclude make",
);

/** Words that put an object somewhere: "fit the rail beside the bath", "fit an RCD in the unit". */
export const PLACE_WORDS: ReadonlySet<string> = words(
  "to in on onto into beside under behind above inside over",
);

/** Words after a terse task's noun that say whom or where it is for: "forms for the leaders", "jab @ pharmacy". */
export const RECIPIENT_MARKS: ReadonlySet<string> = words("to for @");
