//! Kinds of paper (Vorlagenarten) as data.
//!
//! A kind is resolved once, when a paper is loaded: it names the Word template that renders the
//! paper, the number series `ratsflow new` counts in, the German grammar texts need („der
//! Projektauftrag“, „den Ergänzungsantrag“, „die Stellungnahme“), and whether the paper amends a
//! proposal or answers another paper. Nothing downstream guesses a kind from its name.
//!
//! The built-in kinds are listed in [`Kinds::builtin`]; a project adds its own under `kinds:` in
//! `ratsflow.yaml` (see [`crate::load::raw::RawKind`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

/// Grammatical gender of a kind's name, written as its definite article in YAML.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
pub enum Gender {
    #[serde(rename = "der")]
    Masculine,
    #[serde(rename = "die")]
    Feminine,
    #[serde(rename = "das")]
    Neuter,
}

/// Grammatical case for articles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    Nominative,
    Accusative,
    Dative,
    Genitive,
}

/// How a paper of a kind relates to another paper.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// A paper of its own (Vorlage, Antrag, Anfrage).
    #[default]
    None,
    /// Changes the proposal of another paper (`amends:`): Änderungs-, Ergänzungsantrag.
    Amends,
    /// Answers another paper (`answers:`): the Stellungnahme der Verwaltung to a motion.
    Answers,
}

/// Who files papers of a kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Author {
    /// The administration (Vorlagen, Stellungnahmen): Redaktionsschluss applies.
    #[default]
    Verwaltung,
    /// A Fraktion (`by:`): Antragsfrist applies.
    Fraktion,
}

/// One kind of paper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaperKind {
    /// The name as papers write it: „Beschlussvorlage“.
    pub name: String,
    /// Word template file under `templates/`.
    pub template: String,
    /// Prefix of the number series (`M` gives „M 001/26“); empty for plain Drucksachen numbers.
    pub series: String,
    pub gender: Gender,
    pub relation: Relation,
    pub author: Author,
    /// The numbering of a Beschlussvorschlag when the paper names none.
    pub numbering: Option<super::NumberStyle>,
}

impl PaperKind {
    fn new(name: &str, gender: Gender, template: &str, series: &str) -> Self {
        PaperKind {
            name: name.to_string(),
            template: template.to_string(),
            series: series.to_string(),
            gender,
            relation: Relation::None,
            author: Author::Verwaltung,
            numbering: None,
        }
    }

    /// The plain Beschlussvorlage, for code that has no project.
    pub fn fallback() -> Self {
        Self::new(
            "Beschlussvorlage",
            Gender::Feminine,
            "beschlussvorlage.docx",
            "",
        )
    }

    fn filed_by_group(mut self) -> Self {
        self.author = Author::Fraktion;
        self
    }

    fn related(mut self, relation: Relation) -> Self {
        self.relation = relation;
        self
    }

    /// Whether a Fraktion files papers of this kind (motions, questions).
    pub fn is_motion(&self) -> bool {
        self.author == Author::Fraktion
    }

    /// Whether papers of this kind change another paper's proposal.
    pub fn amends(&self) -> bool {
        self.relation == Relation::Amends
    }

    /// The definite article in a case: der / den / dem / des.
    pub fn article(&self, case: Case) -> &'static str {
        use Case::*;
        use Gender::*;
        match (self.gender, case) {
            (Masculine, Nominative) => "der",
            (Masculine, Accusative) => "den",
            (Masculine | Neuter, Dative) => "dem",
            (Masculine | Neuter, Genitive) => "des",
            (Feminine, Nominative | Accusative) => "die",
            (Feminine, Dative | Genitive) => "der",
            (Neuter, Nominative | Accusative) => "das",
        }
    }

    /// The indefinite article in a case: ein / einen / einem / eines / eine / einer.
    pub fn indefinite_article(&self, case: Case) -> &'static str {
        use Case::*;
        use Gender::*;
        match (self.gender, case) {
            (Masculine | Neuter, Nominative) => "ein",
            (Masculine, Accusative) => "einen",
            (Neuter, Accusative) => "ein",
            (Masculine | Neuter, Dative) => "einem",
            (Masculine | Neuter, Genitive) => "eines",
            (Feminine, Nominative | Accusative) => "eine",
            (Feminine, Dative | Genitive) => "einer",
        }
    }

    /// Name with its definite article: „den Ergänzungsantrag“. Masculine and neuter nouns take
    /// an „-s“ in the genitive („des Projektauftrags“).
    pub fn with_article(&self, case: Case) -> String {
        let genitive_s = case == Case::Genitive && self.gender != Gender::Feminine;
        let (head, tail) = split_head(&self.name);
        let s = if genitive_s && !head.ends_with('s') {
            "s"
        } else {
            ""
        };
        format!("{} {head}{s}{tail}", self.article(case))
    }
}

impl PaperKind {
    /// „zum Ergänzungsantrag“, „zur Anfrage“: the preposition „zu“ fused with the dative article.
    pub fn with_zu(&self) -> String {
        let fused = match self.gender {
            Gender::Feminine => "zur",
            Gender::Masculine | Gender::Neuter => "zum",
        };
        format!("{fused} {}", self.name)
    }
}

/// Splits „Stellungnahme der Verwaltung“ into the noun that declines and the rest.
fn split_head(name: &str) -> (&str, &str) {
    match name.find(' ') {
        Some(at) => (&name[..at], &name[at..]),
        None => (name, ""),
    }
}

/// The kinds a project knows: built-in ones plus those of `ratsflow.yaml`.
#[derive(Clone, Debug)]
pub struct Kinds {
    /// By lower-case name.
    by_name: BTreeMap<String, Arc<PaperKind>>,
}

impl Default for Kinds {
    fn default() -> Self {
        Self::builtin()
    }
}

impl Kinds {
    /// The kinds every project has.
    pub fn builtin() -> Self {
        use Gender::*;
        let kinds = [
            PaperKind::new("Beschlussvorlage", Feminine, "beschlussvorlage.docx", ""),
            PaperKind::new(
                "Mitteilungsvorlage",
                Feminine,
                "mitteilungsvorlage.docx",
                "M",
            ),
            PaperKind::new(
                "Informationsvorlage",
                Feminine,
                "mitteilungsvorlage.docx",
                "I",
            ),
            PaperKind::new("Projektauftrag", Masculine, "projektauftrag.docx", "P"),
            PaperKind::new("Antrag", Masculine, "antrag.docx", "A").filed_by_group(),
            PaperKind::new("Änderungsantrag", Masculine, "antrag.docx", "A")
                .filed_by_group()
                .related(Relation::Amends),
            PaperKind::new("Ergänzungsantrag", Masculine, "antrag.docx", "A")
                .filed_by_group()
                .related(Relation::Amends),
            PaperKind::new("Anfrage", Feminine, "anfrage.docx", "F").filed_by_group(),
            PaperKind::new(
                "Stellungnahme der Verwaltung",
                Feminine,
                "stellungnahme.docx",
                "S",
            )
            .related(Relation::Answers),
        ];
        let mut this = Kinds {
            by_name: BTreeMap::new(),
        };
        for kind in kinds {
            this.insert(kind);
        }
        this
    }

    /// Adds or replaces a kind.
    pub fn insert(&mut self, kind: PaperKind) {
        self.by_name
            .insert(kind.name.to_lowercase(), Arc::new(kind));
    }

    /// The kind of this name (case does not matter).
    pub fn get(&self, name: &str) -> Option<&Arc<PaperKind>> {
        self.by_name.get(&name.trim().to_lowercase())
    }

    /// Every kind, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<PaperKind>> {
        self.by_name.values()
    }

    /// The names, for „meinten Sie …?“.
    pub fn names(&self) -> impl Iterator<Item = &str> + Clone {
        self.by_name.values().map(|k| k.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_follow_gender_and_case() {
        let kinds = Kinds::builtin();
        let kind = |name: &str| kinds.get(name).unwrap().clone();
        assert_eq!(
            kind("Projektauftrag").with_article(Case::Nominative),
            "der Projektauftrag"
        );
        assert_eq!(
            kind("Ergänzungsantrag").with_article(Case::Accusative),
            "den Ergänzungsantrag"
        );
        assert_eq!(
            kind("Stellungnahme der Verwaltung").with_article(Case::Accusative),
            "die Stellungnahme der Verwaltung"
        );
        assert_eq!(
            kind("Projektauftrag").with_article(Case::Genitive),
            "des Projektauftrags"
        );
        assert_eq!(
            kind("Beschlussvorlage").with_article(Case::Dative),
            "der Beschlussvorlage"
        );
        assert_eq!(kind("Antrag").indefinite_article(Case::Accusative), "einen");
        assert_eq!(kind("Ergänzungsantrag").with_zu(), "zum Ergänzungsantrag");
        assert_eq!(kind("Anfrage").with_zu(), "zur Anfrage");
    }

    #[test]
    fn lookup_ignores_case_and_knows_every_builtin_kind() {
        let kinds = Kinds::builtin();
        assert_eq!(kinds.get("beschlussvorlage").unwrap().series, "");
        assert_eq!(kinds.get("Mitteilungsvorlage").unwrap().series, "M");
        assert!(kinds.get("Ergänzungsantrag").unwrap().amends());
        assert!(kinds.get("Anfrage").unwrap().is_motion());
        assert_eq!(
            kinds.get("Stellungnahme der Verwaltung").unwrap().relation,
            Relation::Answers
        );
        assert!(kinds.get("Beschlusvorlage").is_none());
        assert_eq!(kinds.names().count(), 9);
    }
}
