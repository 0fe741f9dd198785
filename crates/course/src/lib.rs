//! Dockyard's course content: the chapters of the notes, and the one safe
//! way to turn their markdown into a tree the app can show.
//!
//! The chapters' text lives in `static/notes/*.md` (and each chapter's
//! key-concepts table in `static/concepts/*.md`) and is compiled in, so the
//! site works offline, from any path, with nothing to fetch.

pub mod chapters;
pub mod markdown;
pub mod scenarios;
pub mod session;

pub use chapters::{chapter, Chapter, CHAPTERS};
pub use markdown::{render, LinkTarget, Node};
