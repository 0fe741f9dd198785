//! The components, named for what the learner sees.

mod compare;
mod concepts_pane;
mod course_header;
mod findings_page;
mod markdown_view;
mod model_panels;
mod not_found;
mod notes_pane;
mod notice;
mod registries;
mod sandbox;
mod task_definition_checker;
mod task_definition_editor;

pub use compare::{figures, Compare, RunFigures};
pub use concepts_pane::ConceptsPane;
pub use course_header::CourseHeader;
pub use findings_page::FindingsPage;
pub use markdown_view::MarkdownView;
pub use not_found::{BadShareLink, NotFound};
pub use notes_pane::{focus_notes_heading, NotesPane};
pub use notice::Notice;
pub use registries::Registries;
pub use sandbox::{Sandbox, SESSION_BACKUP_KEY, SESSION_KEY};
pub use task_definition_checker::{TaskDefinitionChecker, DRAFT_KEY};
pub use task_definition_editor::{TaskDefinitionEditor, EDITOR_KEY};
