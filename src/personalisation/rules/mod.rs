//! The rules file: segments, slots and experiments, read and checked as a whole.
//! Every error names the item (`segments.shopper`) and what is wrong.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Deserialize;

use super::condition::{self, Condition};

mod check;
mod content;
mod experiment;
mod flags;

use check::{check_segments, distinct_from_slot, known_segment};
use content::content;
pub use content::{shows, PAGE_SLOTS};
use experiment::experiment;
pub use experiment::PLANNED_PARTICIPANTS;
pub use flags::{Flag, FlagKind, FlagRule, GoalDef};

pub use super::texts::Texts;

/// What a slot shows: a title, a text, a link.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Content {
    pub title: Option<Texts>,
    pub text: Option<Texts>,
    pub link: Option<Arc<str>>,
    pub link_text: Option<Texts>,
}

/// A slot's variant for a segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotVariant {
    pub name: String,
    pub segment: String,
    /// The segment's index.
    pub at: usize,
    pub content: Content,
}

/// A place on a page and what it shows to whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    pub default: Content,
    pub variants: Vec<SlotVariant>,
}

/// A conversion an experiment counts: tailor's own two, or one the operator's
/// site reports (`[goals.<name>]`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Goal {
    Contact,
    Checkout,
    Declared(String),
}

impl Goal {
    pub fn code(&self) -> &str {
        match self {
            Goal::Contact => "contact",
            Goal::Checkout => "checkout",
            Goal::Declared(name) => name,
        }
    }

    /// The goal named `name`, if `rules` know it.
    pub fn named(name: &str, rules: &Rules) -> Option<Goal> {
        match name {
            "contact" => Some(Goal::Contact),
            "checkout" => Some(Goal::Checkout),
            other => rules
                .goals
                .contains_key(other)
                .then(|| Goal::Declared(other.to_owned())),
        }
    }
}

/// One arm of an experiment; `control` shows the slot as without the experiment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExperimentVariant {
    pub name: String,
    pub weight: u32,
    pub content: Content,
    /// What its flag gives (an experiment on a flag; `None` for `control`).
    pub value: Option<serde_json::Value>,
}

/// Sticky random variants of a slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Experiment {
    /// What visitors read for it on the privacy page (else its name).
    pub title: Option<Texts>,
    /// The slot it runs on (empty when it runs on a flag).
    pub slot: String,
    /// The flag of the operator's site it runs on instead of a slot.
    pub flag: Option<String>,
    pub audience: Option<String>,
    /// The audience segment's index.
    pub audience_at: Option<usize>,
    pub goals: Vec<Goal>,
    pub variants: Vec<ExperimentVariant>,
    /// How the report's intervals are made.
    pub method: Method,
    /// Participants the experiment is planned to reach (all variants): where
    /// the sequential interval is tightest.
    pub planned_participants: u64,
    pub status: Status,
    /// Bumped by the operator to start afresh (new assignments and counts).
    pub version: u32,
    /// The split of the weights in force: a hash of the variants' names and
    /// weights, never 0 (0 is what was counted before epochs were kept).
    pub epoch: u32,
}

/// Whether an experiment runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Status {
    /// Visitors are assigned, shown their variant and counted (the default).
    #[default]
    Running,
    /// Nobody new is assigned; everybody sees control; nothing is counted; the
    /// assignments are kept for when it runs again.
    Paused,
    /// Everybody sees the winner (the variant at this index); nothing is counted.
    Stopped { winner: usize },
}

/// How an experiment's report makes the interval of a difference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// A confidence sequence: valid however often it is read (the default).
    #[default]
    Sequential,
    /// The fixed-horizon Wald interval: valid only when read once, at the
    /// planned size.
    Fixed,
}

/// A segment: who.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// What visitors and operators read for it (else its name).
    pub title: Option<Texts>,
    pub when: Condition,
}

/// The rules in force.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rules {
    pub segments: BTreeMap<String, Segment>,
    pub slots: BTreeMap<String, Slot>,
    pub experiments: BTreeMap<String, Experiment>,
    /// The segments' conditions, in the order of `segments` (a segment's index
    /// is its place there), with every `segment` reference resolved to its index.
    pub conditions: Vec<Condition>,
    /// The segments' titles, in the same order (for the words of `why`).
    pub titles: Vec<Option<Texts>>,
    /// The operator's site's flags.
    pub flags: BTreeMap<String, Flag>,
    /// The conversions the operator's site reports (besides contact and checkout).
    pub goals: BTreeMap<String, GoalDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    segments: BTreeMap<String, toml::Value>,
    #[serde(default)]
    slots: BTreeMap<String, toml::Value>,
    #[serde(default)]
    experiments: BTreeMap<String, toml::Value>,
    #[serde(default)]
    flags: BTreeMap<String, toml::Value>,
    #[serde(default)]
    goals: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentFile {
    title: Option<toml::Value>,
    when: toml::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContentFile {
    title: Option<BTreeMap<String, String>>,
    text: Option<BTreeMap<String, String>>,
    link: Option<String>,
    link_text: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SlotFile {
    default: ContentFile,
    #[serde(default)]
    variants: Vec<SlotVariantFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SlotVariantFile {
    name: String,
    segment: String,
    #[serde(flatten)]
    content: ContentFile,
}

/// Reads `text` (the rules file) into [`Rules`].
///
/// # Errors
/// The first problem, naming the item: `segments.shopper: unknown segment "x"`.
pub fn parse(text: &str) -> Result<Rules, String> {
    let file: File = toml::from_str(text).map_err(|e| e.message().to_owned())?;
    let mut rules = Rules::default();
    for (name, value) in file.segments {
        let at = format!("segments.{name}");
        let segment: SegmentFile = value.try_into().map_err(|e| format!("{at}: {e}"))?;
        let when = condition::parse(&segment.when).map_err(|e| format!("{at}.when: {e}"))?;
        let title = match segment.title {
            Some(value) => Some(Texts::title(&format!("{at}.title"), value)?),
            None => None,
        };
        rules.segments.insert(name, Segment { title, when });
    }
    check_segments(&rules)?;
    let index: BTreeMap<String, usize> = rules
        .segments
        .keys()
        .enumerate()
        .map(|(i, name)| (name.clone(), i))
        .collect();
    for (name, segment) in &mut rules.segments {
        let at = format!("segments.{name}.when");
        segment
            .when
            .resolve(&index)
            .map_err(|e| format!("{at}: {e}"))?;
        rules.conditions.push(segment.when.clone());
        rules.titles.push(segment.title.clone());
    }
    for (name, value) in file.slots {
        let at = format!("slots.\"{name}\"");
        let slot: SlotFile = value.try_into().map_err(|e| format!("{at}: {e}"))?;
        let mut variants: Vec<SlotVariant> = Vec::new();
        for (i, v) in slot.variants.into_iter().enumerate() {
            let at = format!("{at}.variants[{i}] ({})", v.name);
            if v.name == "default" {
                return Err(format!(
                    "{at}: \"default\" names what the slot shows without a variant; choose another name"
                ));
            }
            if let Some(j) = variants.iter().position(|other| other.name == v.name) {
                return Err(format!(
                    "{at}: variants[{j}] is already named {:?} (a slot's variants need distinct names)",
                    v.name
                ));
            }
            known_segment(&rules, &v.segment).map_err(|e| format!("{at}: {e}"))?;
            variants.push(SlotVariant {
                at: index[&v.segment],
                name: v.name,
                segment: v.segment,
                content: content(v.content).map_err(|e| format!("{at}: {e}"))?,
            });
        }
        let default = content(slot.default).map_err(|e| format!("{at}.default: {e}"))?;
        rules.slots.insert(name, Slot { default, variants });
    }
    flags::read(&mut rules, file.flags, file.goals)?;
    let mut slots_taken = BTreeSet::new();
    for (name, value) in file.experiments {
        let at = format!("experiments.{name}");
        let experiment = experiment(&rules, value).map_err(|e| format!("{at}: {e}"))?;
        distinct_from_slot(&rules, &name, &experiment)?;
        let target = match &experiment.flag {
            Some(flag) => format!("flag {flag:?}"),
            None => format!("slot {:?}", experiment.slot),
        };
        if !slots_taken.insert(target.clone()) {
            return Err(format!(
                "{at}: {target} already has an experiment (one per slot or flag)"
            ));
        }
        rules.experiments.insert(name, experiment);
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Language;

    const GOOD: &str = r#"
        [segments.newsletter]
        title = "Came from the newsletter"
        when = { last_touch = { source = "newsletter" } }

        [segments.returning]
        when = { visits = { min = 3 } }

        [segments.keen]
        when = { all = [ { segment = "returning" }, { segment = "newsletter" } ] }

        [slots."home.hero"]
        default = { title = { en = "Welcome", es = "Bienvenido" } }

        [[slots."home.hero".variants]]
        name = "newsletter"
        segment = "newsletter"
        title = { en = "Hello reader" }
        link = "/products"

        [experiments.hero-copy]
        slot = "home.hero"
        audience = "returning"
        goals = ["contact", "checkout"]

        [[experiments.hero-copy.variants]]
        name = "control"
        weight = 50

        [[experiments.hero-copy.variants]]
        name = "bold"
        weight = 50
        title = { en = "Bold" }
    "#;

    #[test]
    fn a_good_file_reads_whole() {
        let rules = parse(GOOD).unwrap();
        assert_eq!(rules.segments.len(), 3);
        let hero = &rules.slots["home.hero"];
        assert_eq!(hero.variants[0].segment, "newsletter");
        assert_eq!(
            &*hero.default.title.as_ref().unwrap().get(Language::Es),
            "Bienvenido"
        );
        assert_eq!(
            &*hero.default.title.as_ref().unwrap().get(Language::Fr),
            "Welcome",
            "falls back to en"
        );
        let experiment = &rules.experiments["hero-copy"];
        assert_eq!(experiment.goals, [Goal::Contact, Goal::Checkout]);
        assert_eq!(experiment.variants.len(), 2);
    }

    fn refused(text: &str) -> String {
        parse(text).unwrap_err()
    }

    #[test]
    fn every_error_names_its_item() {
        let e = refused("[segments.shopper]\nwhen = { segment = \"nobody\" }");
        assert!(
            e.contains("segments.shopper") && e.contains("unknown segment"),
            "{e}"
        );
        let e = refused(
            "[segments.a]\nwhen = { segment = \"b\" }\n[segments.b]\nwhen = { segment = \"a\" }",
        );
        assert!(e.contains("cycle"), "{e}");
        let e = refused("[segments.a]\nwhen = { segment = \"a\" }");
        assert!(e.contains("cycle"), "{e}");
        let e = refused("[segments.a]\nwhen = { visits = { min = 1 } }\ncolour = 1");
        assert!(e.contains("segments.a") && e.contains("colour"), "{e}");
        let e = refused("[slots.x]\ndefault = { title = { es = \"Hola\" } }");
        assert!(e.contains("slots.\"x\"") && e.contains("en"), "{e}");
        let e = refused("[slots.x]\ndefault = { link = \"javascript:alert(1)\" }");
        assert!(e.contains("link"), "{e}");
        let e = refused("[slots.x]\ndefault = { link = \"//evil.example\" }");
        assert!(e.contains("link"), "{e}");
        let e = refused(
            "[slots.x]\ndefault = {}\n[[slots.x.variants]]\nname = \"v\"\nsegment = \"nobody\"",
        );
        assert!(
            e.contains("variants[0]") && e.contains("unknown segment"),
            "{e}"
        );
        let e = refused("[nonsense]\na = 1");
        assert!(e.contains("nonsense"), "{e}");
    }

    #[test]
    fn flags_goals_and_flag_experiments_are_read_and_checked() {
        let base = "[segments.vip]\nwhen = { cart_items = { min = 3 } }\n";
        let good = format!(
            "{base}[flags.layout]\ndefault = \"classic\"\n[[flags.layout.rules]]\nsegment = \"vip\"\nvalue = \"express\"\n\
             [flags.limits]\ndefault = {{ max = 3, label = \"x\" }}\n\
             [goals.signup]\ntitle = {{ en = \"Signed up\", es = \"Registrado\" }}\n\
             [experiments.layout-test]\nflag = \"layout\"\n\
             [[experiments.layout-test.variants]]\nname = \"control\"\nweight = 1\n\
             [[experiments.layout-test.variants]]\nname = \"fast\"\nweight = 1\nvalue = \"one-page\"\n"
        );
        let rules = parse(&good).unwrap();
        assert_eq!(rules.flags["layout"].kind, FlagKind::String);
        assert_eq!(rules.flags["layout"].rules[0].name, "vip");
        assert_eq!(rules.flags["limits"].kind, FlagKind::Object);
        assert!(rules.goals.contains_key("signup"));
        let e = &rules.experiments["layout-test"];
        assert_eq!(e.flag.as_deref(), Some("layout"));
        assert_eq!(e.variants[1].value, Some(serde_json::json!("one-page")));
        for (bad, says) in [
            ("[flags.x]\ndefault = \"a\"\n[[flags.x.rules]]\nsegment = \"vip\"\nvalue = 3\n", "a string"),
            ("[flags.x]\ndefault = [1, 2]\n", "default is"),
            ("[flags.\"a.b\"]\ndefault = true\n", "no dot"),
            ("[flags.x]\ndefault = true\n[[flags.x.rules]]\nsegment = \"nobody\"\nvalue = false\n", "unknown segment"),
            ("[goals.contact]\n", "built in"),
            ("[flags.x]\ndefault = true\n[experiments.e]\nflag = \"x\"\n[[experiments.e.variants]]\nname = \"control\"\nweight = 1\n[[experiments.e.variants]]\nname = \"b\"\nweight = 1\n", "needs a value"),
            ("[experiments.e]\nflag = \"nope\"\n[[experiments.e.variants]]\nname = \"control\"\nweight = 1\n", "unknown flag"),
        ] {
            let e = refused(&format!("{base}{bad}"));
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn attribute_conditions_are_checked() {
        let e = refused("[segments.a]\nwhen = { attribute = { name = \"plan\" } }");
        assert!(e.contains("equals"), "{e}");
        let e = refused("[segments.a]\nwhen = { attribute = { name = \"n\", min = 5, max = 1 } }");
        assert!(e.contains("above"), "{e}");
        assert!(parse("[segments.a]\nwhen = { attribute = { name = \"plan\", equals = [\"pro\"], from_browser = true } }").is_ok());
    }

    #[test]
    fn experiments_are_checked() {
        let base = "[slots.\"home.hero\"]\ndefault = {}\n";
        let e = refused(&format!(
            "{base}[experiments.x]\nslot = \"home.hero\"\n[[experiments.x.variants]]\nname = \"control\"\nweight = 0\n[[experiments.x.variants]]\nname = \"b\"\nweight = 1"
        ));
        assert!(e.contains("experiments.x") && e.contains("weight"), "{e}");
        let e = refused(&format!(
            "{base}[experiments.x]\nslot = \"home.hero\"\n[[experiments.x.variants]]\nname = \"a\"\nweight = 1\n[[experiments.x.variants]]\nname = \"b\"\nweight = 1"
        ));
        assert!(e.contains("control"), "{e}");
        let two = "[[VAR.variants]]\nname = \"control\"\nweight = 1\n[[VAR.variants]]\nname = \"b\"\nweight = 1\n";
        let e = refused(&format!(
            "{base}[experiments.x]\nslot = \"home.hero\"\n{}[experiments.y]\nslot = \"home.hero\"\n{}",
            two.replace("VAR", "experiments.x"),
            two.replace("VAR", "experiments.y")
        ));
        assert!(e.contains("one per slot"), "{e}");
        let e = refused(&format!(
            "{base}[experiments.x]\nslot = \"nowhere\"\n{}",
            two.replace("VAR", "experiments.x")
        ));
        assert!(e.contains("unknown slot"), "{e}");
        let e = refused(&format!(
            "{base}[experiments.x]\nslot = \"home.hero\"\ngoals = [\"fame\"]\n{}",
            two.replace("VAR", "experiments.x")
        ));
        assert!(e.contains("unknown goal"), "{e}");
        let x = format!(
            "{base}[experiments.x]\nslot = \"home.hero\"\nKEYS\n{}",
            two.replace("VAR", "experiments.x")
        );
        let rules = parse(&x.replace("KEYS", "")).unwrap();
        let e = &rules.experiments["x"];
        assert_eq!(
            (e.method, e.planned_participants),
            (Method::Sequential, 10_000)
        );
        let rules =
            parse(&x.replace("KEYS", "method = \"fixed\"\nplanned_participants = 2000")).unwrap();
        let e = &rules.experiments["x"];
        assert_eq!((e.method, e.planned_participants), (Method::Fixed, 2_000));
        let stopped = parse(&x.replace("KEYS", "status = \"stopped\"\nwinner = \"b\"")).unwrap();
        assert_eq!(
            stopped.experiments["x"].status,
            Status::Stopped { winner: 1 }
        );
        let paused = parse(&x.replace("KEYS", "status = \"paused\"")).unwrap();
        assert_eq!(paused.experiments["x"].status, Status::Paused);
        for (keys, says) in [
            (
                "method = \"bayes\"",
                "\"sequential\" (the default) or \"fixed\"",
            ),
            ("planned_participants = 5", "between 100 and"),
            ("planned_participants = \"many\"", "planned_participants"),
            ("status = \"stopped\"", "names its winner"),
            (
                "status = \"stopped\"\nwinner = \"nobody\"",
                "not one of its variants",
            ),
            ("winner = \"b\"", "for a stopped experiment"),
            ("status = \"done\"", "\"running\" (the default)"),
            ("version = 0", "version must be"),
        ] {
            let e = refused(&x.replace("KEYS", keys));
            assert!(
                e.contains("experiments.x") && e.contains(says),
                "{keys}: {e}"
            );
        }
    }
}
