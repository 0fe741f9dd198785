//! The packs a learner loaded, kept as they came (the text and where it
//! came from), so that a reload offers them again after checking them
//! afresh: a pack is never trusted because it was once read.

use serde::{Deserialize, Serialize};

/// At most this many packs are kept (each up to `MAX_PACK_BYTES`, and
/// localStorage holds about 5 MB).
pub const MAX_SAVED_PACKS: usize = 8;

/// A pack as the learner loaded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedPack {
    /// The pack's id, as it was when loaded (the text is read again).
    pub id: String,
    /// A URL, or a file's name.
    pub source: String,
    /// The pack's JSON, as read.
    pub text: String,
}

/// Reads the kept list (each pack in it is read and verified again when
/// it is offered).
pub fn parse_saved(text: &str) -> Result<Vec<SavedPack>, String> {
    let saved: Vec<SavedPack> = dockyard_model::json::from_str(text).map_err(|e| e.to_string())?;
    if saved.len() > MAX_SAVED_PACKS {
        return Err(format!("at most {MAX_SAVED_PACKS} packs are kept"));
    }
    Ok(saved)
}

pub fn saved_to_json(saved: &[SavedPack]) -> String {
    serde_json::to_string(saved).unwrap_or_default()
}
