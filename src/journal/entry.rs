//! [`Entry`], one line of a journal or an outbox as the program holds it.
//!
//! `ratsflow serve` and `ratsflow watch` keep every line of every paper's journal and outbox in
//! memory, 100,000 and more under load, so the size of an entry is much of the size of the
//! service. A line has two dozen optional fields, and almost every line uses a few of them:
//! signatures and notices, by far the most lines, carry a handful of short strings each. Those
//! fields are kept inline; the fields of what a body does at a meeting ([`Consultation`]) and
//! the rare ones ([`Extra`]) are kept behind one pointer each, `None` on every other line.
//!
//! The file format is not touched by that split: an entry is read and written through the
//! flat layout of every version so far (`super::wire`), so that not one byte on disk changes.

use chrono::{DateTime, FixedOffset};

use super::{AmendmentVote, Event, ItemDecision, Votes};
use crate::model::DecisionResult;
use crate::model::dates::Date;

/// One line of the journal (or of the outbox).
///
/// Inline are the fields of signatures and notices, which make up almost every line; their
/// strings are `Box<str>` (16 bytes against a `String`'s 24: nothing ever appends to them).
/// Everything else is in two boxed groups, `None` on a line without any of their fields; read
/// them through the accessors ([`Entry::result`], [`Entry::comment`], …), set them with
/// [`Entry::with_consultation`] and [`Entry::with_extra`] (or [`Entry::consultation_mut`] and
/// [`Entry::extra_mut`]). Serialised and compared as the line it is written as
/// (`super::wire`): two entries are equal when they write the same line.
#[derive(Clone, Debug)]
pub struct Entry {
    /// When, with the UTC offset in force at the time.
    pub time: DateTime<FixedOffset>,
    pub event: Event,
    /// Person id (signatures, returns) or recipient (notices).
    pub who: Option<Box<str>>,
    pub stage: Option<Box<str>>,
    /// Content hash of the paper the event refers to.
    pub hash: Option<Box<str>>,
    /// Hash of the text of the paper's document as the signer saw it (signatures; absent on
    /// lines of older versions, which the content hash alone binds).
    pub document: Option<Box<str>>,
    /// Short hash of the stage's definition (its signers and rule) when the signature was
    /// given (signatures; absent on lines of older versions, which are not compared).
    pub stage_hash: Option<Box<str>>,
    /// Stable key of a notice (notice events only).
    pub key: Option<Box<str>>,
    /// Kind of notice (notice events only).
    pub kind: Option<Box<str>>,
    /// Attempt number of a failed or sent notice.
    pub attempt: Option<u32>,
    /// When a notice became due by the pass's clock (notice events only); `time` is the real
    /// clock, so a pass with a simulated clock (`--now`) never records a send in the future.
    pub due: Option<DateTime<FixedOffset>>,
    /// How a signature or return was given when not on the command line: `link` for a
    /// personal link of `ratsflow serve` (history: „über Link“). Absent on older lines.
    pub via: Option<Box<str>>,
    /// What a body did at a meeting: `decided`, `referred` and `scheduled` lines only.
    pub consultation: Option<Box<Consultation>>,
    /// The fields few lines carry.
    pub extra: Option<Box<Extra>>,
}

/// The fields of what a body does with the paper at a meeting: a decision (`decided`), the
/// consultation a referral created (`referred`), a place on an agenda (`scheduled`). No other
/// line carries any of them, and a paper has a few such lines against its many signatures and
/// notices: boxed, they cost a pointer on every other line instead of some 170 bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Consultation {
    pub body: Option<String>,
    pub result: Option<DecisionResult>,
    /// The meeting date a decision was taken at.
    pub meeting: Option<Date>,
    pub amendments: Vec<AmendmentVote>,
    /// A decision's votes on the paper as a whole.
    pub votes: Option<Votes>,
    /// A whole-paper referral's target body (verwiesen an).
    pub to: Option<String>,
    /// Decisions per point and per Ziffer (decided), or what was referred (referred).
    pub items: Vec<ItemDecision>,
    /// The TOP number a `scheduled` paper got on the agenda („6“, „6.1“, „7a“).
    pub top: Option<String>,
    /// A `scheduled` entry made after the invitation went out: the item is in the Nachtrag.
    pub supplement: Option<bool>,
}

/// Fields that lines of several kinds may carry, but few do: a comment (always on returns,
/// corrections, failed and superseded notices; now and then on a signature, withdrawal or
/// decision), the principal of a deputy, whether a failure is permanent. The signatures and
/// notices of a paper's normal course have none of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extra {
    pub comment: Option<String>,
    /// The person a deputy signed or returned for (i. V.); `who` is the deputy.
    pub on_behalf_of: Option<String>,
    /// A failure that retrying will not cure.
    pub permanent: Option<bool>,
}

/// A group on the heap, or `None` when none of its fields is set: a line read back from disk
/// and the entry it was written from hold their groups alike.
pub(super) fn boxed<T: Default + PartialEq>(group: T) -> Option<Box<T>> {
    (group != T::default()).then(|| Box::new(group))
}

impl Entry {
    /// An entry with only time and event set.
    pub fn new(time: DateTime<FixedOffset>, event: Event) -> Self {
        Entry {
            time,
            event,
            who: None,
            stage: None,
            hash: None,
            document: None,
            stage_hash: None,
            key: None,
            kind: None,
            attempt: None,
            due: None,
            via: None,
            consultation: None,
            extra: None,
        }
    }

    /// The entry with `consultation` as its meeting fields (none, if it is empty).
    pub fn with_consultation(self, consultation: Consultation) -> Self {
        Entry {
            consultation: boxed(consultation),
            ..self
        }
    }

    /// The entry with `extra` as its rare fields (none, if it is empty).
    pub fn with_extra(self, extra: Extra) -> Self {
        Entry {
            extra: boxed(extra),
            ..self
        }
    }

    /// The entry with a comment (and no other rare field).
    pub fn with_comment(self, comment: impl Into<String>) -> Self {
        self.with_extra(Extra {
            comment: Some(comment.into()),
            ..Extra::default()
        })
    }

    /// The meeting fields, if the line has any.
    pub fn consultation(&self) -> Option<&Consultation> {
        self.consultation.as_deref()
    }

    /// The meeting fields to change, added empty if the line has none.
    pub fn consultation_mut(&mut self) -> &mut Consultation {
        self.consultation.get_or_insert_default()
    }

    /// The rare fields to change, added empty if the line has none.
    pub fn extra_mut(&mut self) -> &mut Extra {
        self.extra.get_or_insert_default()
    }

    /// The body that decided, got the referral or put the paper on its agenda.
    pub fn body(&self) -> Option<&str> {
        self.consultation()?.body.as_deref()
    }

    pub fn result(&self) -> Option<DecisionResult> {
        self.consultation()?.result
    }

    /// The meeting a decision was taken at, a referral goes to, an agenda is for.
    pub fn meeting(&self) -> Option<Date> {
        self.consultation()?.meeting
    }

    /// A decision's votes on amendments of the paper.
    pub fn amendments(&self) -> &[AmendmentVote] {
        self.consultation().map_or(&[], |c| &c.amendments)
    }

    /// A decision's votes on the paper as a whole.
    pub fn votes(&self) -> Option<&Votes> {
        self.consultation()?.votes.as_ref()
    }

    /// A whole-paper referral's target body (verwiesen an).
    pub fn to(&self) -> Option<&str> {
        self.consultation()?.to.as_deref()
    }

    /// Decisions per point and per Ziffer (decided), or what was referred (referred).
    pub fn items(&self) -> &[ItemDecision] {
        self.consultation().map_or(&[], |c| &c.items)
    }

    /// The TOP number of a `scheduled` paper.
    pub fn top(&self) -> Option<&str> {
        self.consultation()?.top.as_deref()
    }

    /// Whether a `scheduled` paper is in the Nachtrag.
    pub fn supplement(&self) -> Option<bool> {
        self.consultation()?.supplement
    }

    pub fn comment(&self) -> Option<&str> {
        self.extra.as_deref()?.comment.as_deref()
    }

    /// The person a deputy signed or returned for (i. V.).
    pub fn on_behalf_of(&self) -> Option<&str> {
        self.extra.as_deref()?.on_behalf_of.as_deref()
    }

    /// Whether a failed notice failed for good.
    pub fn permanent(&self) -> Option<bool> {
        self.extra.as_deref()?.permanent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The service keeps every line of every journal and outbox in memory (100,000 and more
    /// under load); at 448 bytes, as entries were with all fields inline, they took most of
    /// its memory. Every byte inline is paid on every line: a field few lines carry belongs
    /// in a group.
    #[test]
    fn an_entry_stays_small() {
        assert!(std::mem::size_of::<Entry>() <= 192);
    }
}
