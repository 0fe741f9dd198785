//! Dockyard's course content: the chapters of the notes, the lessons and
//! the shipped scenarios, and the one safe way to turn markdown into a tree
//! the app can show. Which content there is, and in what order, comes from
//! one index per kind (static/notes/SUMMARY.md, static/concepts/INDEX,
//! lessons/INDEX, scenarios/INDEX), read by build.rs.
//!
//! The chapters' text lives in `static/notes/*.md` (and each chapter's
//! key-concepts table in `static/concepts/*.md`), rendered when Dockyard is
//! built and compiled in, so the site works offline, from any path, with
//! nothing to fetch. The feature `parse` (on by default; the app turns it
//! off) adds the markdown renderer itself.

pub mod builder;
pub mod chapters;
pub mod figures;
pub mod lessons;
pub mod markdown;
pub mod packs;
pub mod player;
pub mod policy_simulator;
pub mod practice;
pub mod progress;
pub mod receipts;
#[cfg(feature = "parse")]
mod render;
pub mod scenarios;
pub mod session;
pub mod storage;

pub use chapters::{chapter, Chapter, CHAPTERS};
#[cfg(feature = "parse")]
pub use markdown::render;
pub use markdown::{LinkTarget, Node};

/// A chapter's slug, for links (build.rs answers the same from the files).
pub(crate) fn known_chapter(slug: &str) -> Option<&'static str> {
    chapter(slug).map(|c| c.slug)
}

/// A shipped scenario's slug, for "try it" links.
pub(crate) fn known_scenario(slug: &str) -> Option<&'static str> {
    scenarios::scenario(slug).map(|s| s.slug)
}
