use dockyard_course::CHAPTERS;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NotFoundProps {
    /// What the URL asked for, shown as text.
    pub path: AttrValue,
}

#[function_component(NotFound)]
pub fn not_found(props: &NotFoundProps) -> Html {
    html! {
        <main class="notes not-found" id="main">
            <h1 id="notes-heading" tabindex="-1">{ "No such page" }</h1>
            <p>
                { "The address asks for " }<code>{ props.path.clone() }</code>
                { ", which is not a chapter of the notes. Pick one:" }
            </p>
            <ol class="chapter-list">
                { for CHAPTERS.iter().map(|chapter| html! {
                    <li><a href={format!("#/notes/{}", chapter.slug)}>{ chapter.title }</a></li>
                }) }
            </ol>
        </main>
    }
}
