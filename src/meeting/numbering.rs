//! Numbering an agenda: the fixed opening items, the papers of the public part, the papers of
//! the non-public part, each part closed by its fixed items; TOP numbers run through both
//! parts. Motions to a paper on the same agenda are its sub-items (6.1); a recorded number is
//! kept; papers of the Nachtrag get a letter after the last regular paper of their part (5a).

use std::collections::{BTreeMap, BTreeSet};

use super::agenda::{Consultation, Item, Part};

/// The numeric value of a TOP number, for ordering („12“ → 12, „3.1“ → 3).
fn leading_number(top: &str) -> u32 {
    let digits: String = top.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(u32::MAX)
}

/// Orders and numbers the consultations between the fixed items.
pub(super) fn number(found: Vec<Consultation<'_>>, fixed: &crate::model::AgendaItems) -> Vec<Item> {
    let here: BTreeSet<String> = found.iter().map(|c| c.paper.id.clone()).collect();
    let (subs, tops): (Vec<_>, Vec<_>) = found.into_iter().partition(|c| {
        c.paper
            .amends
            .as_ref()
            .is_some_and(|base| here.contains(base))
    });
    let mut subs_of: BTreeMap<String, Vec<Consultation<'_>>> = BTreeMap::new();
    for sub in subs {
        let base = sub.paper.amends.clone().unwrap_or_default();
        subs_of.entry(base).or_default().push(sub);
    }
    let mut items = Vec::new();
    let mut n: u32 = 0;
    for part in [Part::Public, Part::NonPublic] {
        if part == Part::Public {
            for title in &fixed.opening {
                n += 1;
                items.push(fixed_item(n, part, title));
            }
        }
        let mut regular: Vec<&Consultation<'_>> = tops
            .iter()
            .filter(|c| (c.public == (part == Part::Public)) && !c.item.supplement)
            .collect();
        regular.sort_by(|a, b| {
            let key = |c: &Consultation<'_>| c.top.as_deref().map_or(u32::MAX, leading_number);
            key(a)
                .cmp(&key(b))
                .then_with(|| a.paper.id.cmp(&b.paper.id))
        });
        for consultation in regular {
            n = consultation
                .top
                .as_deref()
                .map(leading_number)
                .filter(|&t| t != u32::MAX && t > n)
                .unwrap_or(n + 1);
            let number = n.to_string();
            push_with_subs(&mut items, consultation, number, part, &mut subs_of);
        }
        let mut supplement: Vec<&Consultation<'_>> = tops
            .iter()
            .filter(|c| (c.public == (part == Part::Public)) && c.item.supplement)
            .collect();
        supplement.sort_by(|a, b| a.paper.id.cmp(&b.paper.id));
        for (index, consultation) in supplement.into_iter().enumerate() {
            let number = consultation
                .top
                .clone()
                .unwrap_or_else(|| format!("{n}{}", letter(index)));
            push_with_subs(&mut items, consultation, number, part, &mut subs_of);
        }
        for title in &fixed.closing {
            n += 1;
            items.push(fixed_item(n, part, title));
        }
    }
    items
}

/// „a“, „b“, … „z“, „aa“ …
fn letter(index: usize) -> String {
    let mut text = String::new();
    let mut i = index;
    loop {
        text.insert(0, char::from(b'a' + (i % 26) as u8));
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    text
}

fn fixed_item(n: u32, part: Part, title: &str) -> Item {
    Item {
        number: n.to_string(),
        part,
        title: title.to_string(),
        paper: None,
    }
}

fn push_with_subs(
    items: &mut Vec<Item>,
    consultation: &Consultation<'_>,
    number: String,
    part: Part,
    subs_of: &mut BTreeMap<String, Vec<Consultation<'_>>>,
) {
    items.push(Item {
        number: number.clone(),
        part,
        title: consultation.paper.title.clone(),
        paper: Some(consultation.item.clone()),
    });
    let Some(mut subs) = subs_of.remove(&consultation.paper.id) else {
        return;
    };
    // Recorded sub-numbers first, in their order; then the rest by paper id.
    let sub_key = |c: &Consultation<'_>| {
        c.top
            .as_deref()
            .and_then(|t| t.rsplit('.').next())
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(u32::MAX)
    };
    subs.sort_by(|a, b| {
        sub_key(a)
            .cmp(&sub_key(b))
            .then_with(|| a.paper.id.cmp(&b.paper.id))
    });
    let mut k = 0;
    for sub in subs {
        k = Some(sub_key(&sub))
            .filter(|&t| t != u32::MAX && t > k)
            .unwrap_or(k + 1);
        items.push(Item {
            number: format!("{number}.{k}"),
            part,
            title: sub.paper.title.clone(),
            paper: Some(sub.item),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::letter;

    #[test]
    fn supplement_letters_run_past_z() {
        assert_eq!(letter(0), "a");
        assert_eq!(letter(25), "z");
        assert_eq!(letter(26), "aa");
    }
}
