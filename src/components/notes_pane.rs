//! The notes: one chapter, rendered from its markdown, with the way on.

use dockyard_course::chapters::{chapter, neighbours};
use yew::prelude::*;

use super::MarkdownView;

#[derive(Properties, PartialEq)]
pub struct NotesPaneProps {
    pub chapter: &'static str,
}

#[function_component(NotesPane)]
pub fn notes_pane(props: &NotesPaneProps) -> Html {
    let Some(current) = chapter(props.chapter) else {
        return html! {};
    };
    let (previous, next) = neighbours(current.slug);
    // The chapter the server sent as HTML (dockyard-site) is adopted as it
    // is, not drawn again: the text a learner is reading is the same nodes,
    // and the browser does not count it as painted twice (Largest
    // Contentful Paint would otherwise be the app's start, not the page's).
    let adopted = use_memo(current.slug, |slug| prerendered_notes(slug));

    // A move to another chapter starts at its top with focus on its
    // heading: the app does that for every route (`app.rs`).

    // The chapter's lessons, linked above its notes: reading, then doing.
    // (The chapter's first line is its title: build.rs leaves it out of the
    // notes, and the heading is drawn here so that it can take focus.)
    let lessons = use_memo(current.slug, |slug| {
        dockyard_course::lessons::lessons()
            .iter()
            .filter(|l| l.chapter == *slug)
            .collect::<Vec<_>>()
    });
    let practice = dockyard_course::practice::of_chapter(current.slug).len();
    if let Some(node) = (*adopted).clone() {
        return Html::VRef(node);
    }
    html! {
        <main class="notes" id="main" tabindex="-1" aria-labelledby="notes-heading">
            <article>
                <p class="part-name">{ current.part }</p>
                <h1 id="notes-heading" tabindex="-1">{ current.title }</h1>
                if !lessons.is_empty() {
                    <aside class="chapter-lessons" aria-label="Lessons for this chapter">
                        <h2>{ "Try it: lessons for this chapter" }</h2>
                        <ul>{ for lessons.iter().map(|l| html! {
                            <li><a href={crate::route::href(&format!("lesson/{}/", l.id))}>{ l.title.clone() }</a></li>
                        }) }</ul>
                    </aside>
                }
                <MarkdownView tree={current.notes} />
                if practice > 0 {
                    <p class="chapter-practice"><a href={crate::route::href(&format!("practice/{}/", current.slug))}>
                        { format!("Practice: {practice} exam-style questions on this chapter") }</a></p>
                }
            </article>
            <nav class="chapter-pager" aria-label="Previous and next chapter">
                if let Some(previous) = previous {
                    <a class="pager-previous" href={crate::route::href(&format!("notes/{}/", previous.slug))} rel="prev">
                        <span class="pager-label">{ "Previous" }</span>
                        <span class="pager-title">{ previous.title }</span>
                    </a>
                }
                if let Some(next) = next {
                    <a class="pager-next" href={crate::route::href(&format!("notes/{}/", next.slug))} rel="next">
                        <span class="pager-label">{ "Next" }</span>
                        <span class="pager-title">{ next.title }</span>
                    </a>
                }
            </nav>
        </main>
    }
}

/// The prerendered `<main>` of this chapter, if the page arrived with it and
/// the app has not drawn anything else since.
fn prerendered_notes(slug: &str) -> Option<web_sys::Node> {
    let main = web_sys::window()?
        .document()?
        .query_selector("#prerendered main.notes[data-chapter]")
        .ok()
        .flatten()?;
    (main.get_attribute("data-chapter").as_deref() == Some(slug)).then(|| main.into())
}
