//! Roles in a Beratungsfolge (Zuständigkeit): data, not a closed list. The built-in roles
//! (Vorberatung, Beratung, Entscheidung, Kenntnisnahme, Anhörung, Behandlung) can be extended
//! by a project's `roles:` in ratsflow.yaml; each role says what the body does with the paper
//! (decides, recommends, takes note, advises), which is what the engine acts on.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;

/// What a body does with a paper in a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoleEffect {
    /// Beschließt: an adoption or rejection ends the path.
    #[serde(alias = "entscheidung", alias = "beschluss")]
    Decides,
    /// Berät vor und empfiehlt.
    #[serde(alias = "vorberatung", alias = "empfehlung")]
    Recommends,
    /// Nimmt zur Kenntnis.
    #[serde(alias = "kenntnisnahme")]
    TakesNote,
    /// Berät, wird angehört, behandelt.
    #[serde(alias = "beratung", alias = "anhörung", alias = "anhoerung")]
    Advises,
}

/// Zuständigkeit of a body in a paper's Beratungsfolge: a name as printed and its effect.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConsultationRole {
    pub name: Cow<'static, str>,
    pub effect: RoleEffect,
}

const fn builtin(name: &'static str, effect: RoleEffect) -> ConsultationRole {
    ConsultationRole {
        name: Cow::Borrowed(name),
        effect,
    }
}

impl ConsultationRole {
    pub const VORBERATUNG: Self = builtin("Vorberatung", RoleEffect::Recommends);
    pub const BERATUNG: Self = builtin("Beratung", RoleEffect::Advises);
    pub const ENTSCHEIDUNG: Self = builtin("Entscheidung", RoleEffect::Decides);
    pub const KENNTNISNAHME: Self = builtin("Kenntnisnahme", RoleEffect::TakesNote);
    pub const ANHÖRUNG: Self = builtin("Anhörung", RoleEffect::Advises);
    pub const BEHANDLUNG: Self = builtin("Behandlung", RoleEffect::Advises);

    /// The built-in roles.
    pub const BUILTIN: [Self; 6] = [
        Self::VORBERATUNG,
        Self::BERATUNG,
        Self::ENTSCHEIDUNG,
        Self::KENNTNISNAHME,
        Self::ANHÖRUNG,
        Self::BEHANDLUNG,
    ];

    /// Other spellings of built-in roles that workflows use.
    const ALIASES: [(&'static str, Self); 3] = [
        ("Beschluss", Self::ENTSCHEIDUNG),
        ("Beschlussfassung", Self::ENTSCHEIDUNG),
        ("Anhoerung", Self::ANHÖRUNG),
    ];

    /// The German label printed in the Beratungsfolge.
    pub fn label(&self) -> &str {
        &self.name
    }

    /// Whether the body decides the paper in this role.
    pub fn decides(&self) -> bool {
        self.effect == RoleEffect::Decides
    }
}

impl fmt::Display for ConsultationRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The roles of a project: the built-in ones and those of its `roles:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Roles(Vec<ConsultationRole>);

impl Default for Roles {
    fn default() -> Self {
        Roles(ConsultationRole::BUILTIN.to_vec())
    }
}

impl Roles {
    /// The built-in roles plus `extra` (a name of a built-in role replaces it).
    pub fn with(extra: impl IntoIterator<Item = (String, RoleEffect)>) -> Self {
        let mut roles = Roles::default();
        for (name, effect) in extra {
            let name = name.trim().to_string();
            roles.0.retain(|r| r.name != name);
            roles.0.push(ConsultationRole {
                name: Cow::Owned(name),
                effect,
            });
        }
        roles
    }

    /// The role with this name (or a built-in alias of it).
    pub fn find(&self, name: &str) -> Option<ConsultationRole> {
        let name = name.trim();
        self.0.iter().find(|r| r.name == name).cloned().or_else(|| {
            ConsultationRole::ALIASES
                .iter()
                .find(|(alias, _)| *alias == name)
                .map(|(_, role)| role.clone())
        })
    }

    /// The names, for suggestions.
    pub fn names(&self) -> impl Iterator<Item = &str> + Clone {
        self.0.iter().map(|r| r.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_role_joins_the_builtin_ones_and_keeps_its_effect() {
        let roles = Roles::with([("Stellungnahme".to_string(), RoleEffect::Recommends)]);
        let role = roles.find("Stellungnahme");
        assert_eq!(
            role.as_ref().map(|r| r.effect),
            Some(RoleEffect::Recommends)
        );
        assert_eq!(
            roles.find("Beschlussfassung"),
            Some(ConsultationRole::ENTSCHEIDUNG)
        );
        assert!(roles.find("Behandlung").is_some_and(|r| !r.decides()));
        assert_eq!(roles.find("Abstimmung"), None);
    }
}
