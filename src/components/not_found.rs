//! The pages for a place that does not exist: an unknown route, and a
//! share link that cannot be opened (saying why, and that nothing of the
//! learner's was changed).

use dockyard_course::scenarios::SCENARIOS;
use dockyard_course::CHAPTERS;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NotFoundProps {
    /// What the URL asked for, shown as text.
    pub path: AttrValue,
}

/// Offers what the address was looking for: a lesson's address lists the
/// lessons, a sandbox's the scenarios, anything else the chapters.
#[function_component(NotFound)]
pub fn not_found(props: &NotFoundProps) -> Html {
    let path = props.path.as_str().trim_start_matches('/');
    let (what, choices): (&str, Vec<(String, String)>) = if path.starts_with("pack/") {
        // A pack lesson's address, in a browser where its pack is not
        // loaded (or no longer has that lesson).
        let mut choices = vec![(
            "packs/".to_string(),
            "Load the pack on the packs page".to_string(),
        )];
        for offered in dockyard_course::packs::offered() {
            for l in &offered.pack.lessons {
                choices.push((format!("#/pack/{}", l.id), l.title.clone()));
            }
        }
        ("a lesson of a pack loaded in this browser", choices)
    } else if path.starts_with("lesson/") {
        (
            "a lesson",
            dockyard_course::lessons::lessons()
                .iter()
                .map(|l| (format!("lesson/{}/", l.id), l.title.clone()))
                .collect(),
        )
    } else if path.starts_with("sandbox/") || path.starts_with("compare/") {
        (
            "a scenario",
            SCENARIOS
                .iter()
                .map(|s| (format!("sandbox/{}/", s.slug), s.slug.to_string()))
                .collect(),
        )
    } else {
        (
            "a chapter of the notes",
            CHAPTERS
                .iter()
                .map(|c| (format!("notes/{}/", c.slug), c.title.to_string()))
                .collect(),
        )
    };
    html! {
        <main class="notes not-found" id="main" tabindex="-1">
            <h1 id="notes-heading" tabindex="-1">{ "No such page" }</h1>
            <p>
                { "The address asks for " }<code>{ props.path.clone() }</code>
                { format!(", which is not {what} Dockyard has. Pick one:") }
            </p>
            <ol class="chapter-list">
                { for choices.into_iter().map(|(address, title)| html! {
                    <li><a href={crate::route::href(&address)}>{ title }</a></li>
                }) }
            </ol>
        </main>
    }
}

#[derive(Properties, PartialEq)]
pub struct BadShareLinkProps {
    /// Why the link's session was refused, naming the field.
    pub error: AttrValue,
}

/// A share link that does not hold a session this Dockyard can open (cut
/// short when copied, edited, or from a newer version). The learner's own
/// saved sandbox is not touched.
#[function_component(BadShareLink)]
pub fn bad_share_link(props: &BadShareLinkProps) -> Html {
    html! {
        <main class="notes not-found" id="main" tabindex="-1">
            <h1 id="notes-heading" tabindex="-1">{ "This share link cannot be opened" }</h1>
            <p>{ "The link does not hold a sandbox Dockyard can replay: " }<code>{ props.error.clone() }</code></p>
            <p>{ "Nothing of yours was changed. " }<a href={crate::route::href("sandbox/")}>{ "Open the sandbox" }</a>{ " to carry on where you were." }</p>
        </main>
    }
}
