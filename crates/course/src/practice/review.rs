//! The learner's practice record and the review queue: a Leitner schedule.
//! A question answered wrongly goes to the first box and is due again the
//! next day; each right answer moves it up a box (a new question counts as
//! in the first), and each box waits longer (1, 3, 7, 16, then 35 days),
//! so what was missed comes back until it is known. Days are counted by the caller (days since the Unix
//! epoch, from the browser's clock), so this stays pure and testable.
//!
//! Kept in the browser as JSON under the storage key for practice, read
//! as untrusted: a record that does not parse is refused whole (and set
//! aside by the storage layer), and entries for questions that no longer
//! exist are dropped.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Days to wait in each box before a question is due again.
pub const BOX_DAYS: [u32; 5] = [1, 3, 7, 16, 35];

/// What the learner has done with one question.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    /// 0 until first answered; then 1 to 5.
    #[serde(rename = "box")]
    pub bin: u8,
    /// The day it is due again.
    pub due: u32,
    pub right: u32,
    pub wrong: u32,
}

/// Every question the learner has answered, by id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    #[serde(default)]
    pub cards: BTreeMap<String, Card>,
}

/// The largest record a browser may hand back (far above 130 questions).
const MAX_RECORD_CHARS: usize = 256 * 1024;

impl Record {
    /// Reads a saved record; unknown question ids are dropped.
    pub fn parse(text: &str) -> Result<Record, String> {
        if text.len() > MAX_RECORD_CHARS {
            return Err(format!(
                "the practice record is over {MAX_RECORD_CHARS} characters"
            ));
        }
        let record: Record =
            serde_json::from_str(text).map_err(|e| format!("the practice record: {e}"))?;
        Ok(record.known_only())
    }

    /// The same, from the `practice` field of a progress file.
    pub fn from_value(value: &serde_json::Value) -> Result<Record, String> {
        let record: Record =
            serde_json::from_value(value.clone()).map_err(|e| format!("practice: {e}"))?;
        Ok(record.known_only())
    }

    fn known_only(mut self) -> Record {
        self.cards.retain(|id, card| {
            super::question(id).is_some() && (1..=BOX_DAYS.len() as u8).contains(&card.bin)
        });
        self
    }

    /// Adds another record's answers (an imported file's): for a question
    /// answered in both, the card with the longer history is kept (on a
    /// tie, the one due later). Returns how many cards came from `other`.
    pub fn merge(&mut self, other: Record) -> usize {
        let mut taken = 0;
        for (id, theirs) in other.cards {
            let keep_theirs = match self.cards.get(&id) {
                None => true,
                Some(mine) => {
                    (theirs.right + theirs.wrong, theirs.due) > (mine.right + mine.wrong, mine.due)
                }
            };
            if keep_theirs {
                self.cards.insert(id, theirs);
                taken += 1;
            }
        }
        taken
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a record serializes")
    }

    /// Records an answer on `today`.
    pub fn answer(&mut self, id: &str, right: bool, today: u32) {
        let card = self.cards.entry(id.to_string()).or_default();
        if right {
            // A question never answered is in the first box: a right answer
            // moves it to the second, as any right answer moves it up one.
            card.right += 1;
            card.bin = (card.bin.max(1) + 1).min(BOX_DAYS.len() as u8);
        } else {
            card.wrong += 1;
            card.bin = 1;
        }
        card.due = today + BOX_DAYS[usize::from(card.bin) - 1];
    }

    /// The questions due for review on `today`, the most overdue first:
    /// answered before, and whose wait is over.
    pub fn due(&self, today: u32) -> Vec<&str> {
        let mut due: Vec<(&str, &Card)> = self
            .cards
            .iter()
            .filter(|(_, card)| card.due <= today)
            .map(|(id, card)| (id.as_str(), card))
            .collect();
        due.sort_by_key(|(id, card)| (card.due, card.bin, *id));
        due.into_iter().map(|(id, _)| id).collect()
    }

    /// How many of `ids` have been answered right at least once.
    pub fn known(&self, ids: &[&str]) -> usize {
        ids.iter()
            .filter(|id| self.cards.get(**id).is_some_and(|c| c.right > 0))
            .count()
    }
}
