//! A lesson's chapter, read beside its live cluster: the same notes as the
//! chapter's page, under a heading of their own.

use dockyard_course::chapters::chapter;
use yew::prelude::*;

use super::MarkdownView;

#[derive(Properties, PartialEq)]
pub(crate) struct ChapterNotesProps {
    pub(crate) chapter: &'static str,
}

#[function_component(ChapterNotes)]
pub(crate) fn chapter_notes(props: &ChapterNotesProps) -> Html {
    let Some(current) = chapter(props.chapter) else {
        return html! {};
    };
    html! {
        <article class="chapter-notes notes" aria-labelledby="chapter-notes-heading">
            <p class="part-name">{ "The chapter · " }{ current.part }</p>
            <h2 id="chapter-notes-heading">{ current.title }</h2>
            <MarkdownView tree={current.notes} />
        </article>
    }
}
