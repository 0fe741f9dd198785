//! The components, named for what the learner sees.

mod chapter_notes;
mod class_page;
mod clock;
mod clock_controls;
mod compare;
mod concepts_pane;
mod course_header;
mod course_map;
mod exam_page;
mod findings_page;
mod lesson_panel;
mod markdown_view;
mod model_panels;
mod not_found;
mod notes_pane;
mod notice;
mod packs_page;
mod policy_simulator;
mod practice;
mod reducer;
mod registries;
mod sandbox;
mod task_definition_checker;
mod task_definition_editor;
mod terminal;
mod world_view;

pub use class_page::ClassPage;
pub use compare::{figures, Compare, RunFigures};
pub use concepts_pane::ConceptsPane;
pub use course_header::CourseHeader;
pub use course_map::{load_progress, mark_done, CourseMap};
pub use exam_page::ExamPage;
pub use findings_page::FindingsPage;
pub use lesson_panel::LessonPanel;
pub use markdown_view::MarkdownView;
pub use not_found::{BadShareLink, NotFound};
pub use notes_pane::NotesPane;
pub use notice::Notice;
pub use packs_page::PacksPage;
pub use policy_simulator::PolicySimulator;
pub use practice::PracticePage;
pub use registries::Registries;
pub use sandbox::Sandbox;
pub use task_definition_checker::TaskDefinitionChecker;
pub use task_definition_editor::TaskDefinitionEditor;

/// The value a form control reports in a change event: the text of an
/// input, select or textarea, or "true"/"false" for a checkbox.
pub(crate) fn event_value(e: &yew::Event) -> String {
    use wasm_bindgen::JsCast;
    let Some(target) = e.target() else {
        return String::new();
    };
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        return if input.type_() == "checkbox" {
            input.checked().to_string()
        } else {
            input.value()
        };
    }
    if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        return select.value();
    }
    target
        .dyn_ref::<web_sys::HtmlTextAreaElement>()
        .map(|area| area.value())
        .unwrap_or_default()
}

/// Moves the keyboard's focus to the element with this id, if it is on the
/// page (the skip link's `main`, a chapter's heading, the inspector).
pub fn focus_by_id(id: &str) {
    use wasm_bindgen::JsCast;
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}
