//! The validator's findings as a reference: one page per code (linked from
//! the notes and from every finding), and an index of them all.

use dockyard_course::chapter;
use dockyard_model::taskdef::{rule, Rule, Severity, RULES};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FindingsPageProps {
    /// One code's page, or the index when absent.
    #[prop_or_default]
    pub code: Option<&'static str>,
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "verdict denied",
        Severity::Warning => "verdict warning",
        Severity::Note => "verdict neutral",
    }
}

fn chapter_link(slug: &'static str) -> Html {
    let title = chapter(slug).map(|c| c.title).unwrap_or(slug);
    html! { <a href={format!("#/notes/{slug}")}>{ title }</a> }
}

fn finding_link(rule: &Rule) -> Html {
    html! {
        <li>
            <a href={format!("#/findings/{}", rule.code)}><code>{ rule.code }</code></a>
            { " \u{2014} " }{ rule.title }
        </li>
    }
}

#[function_component(FindingsPage)]
pub fn findings_page(props: &FindingsPageProps) -> Html {
    match props.code.and_then(rule) {
        Some(rule) => {
            let siblings: Vec<&Rule> = RULES
                .iter()
                .filter(|r| r.chapter == rule.chapter && r.code != rule.code)
                .collect();
            html! {
                <main class="notes finding-page" id="main" aria-labelledby="notes-heading">
                    <article>
                        <p class="part-name"><a href="#/findings">{ "Validator findings" }</a></p>
                        <h1 id="notes-heading" tabindex="-1">{ rule.title }</h1>
                        <p class="finding-meta">
                            <code>{ rule.code }</code>{ " " }
                            <span class={severity_class(rule.severity)}>{ rule.severity.label() }</span>
                        </p>
                        <h2>{ "Why AWS has this rule" }</h2>
                        <p>{ rule.why }</p>
                        <p>{ "Taught in " }{ chapter_link(rule.chapter) }{ "." }</p>
                        if !siblings.is_empty() {
                            <h2>{ "Other findings taught there" }</h2>
                            <ul class="finding-list">{ for siblings.into_iter().map(finding_link) }</ul>
                        }
                    </article>
                </main>
            }
        }
        None => {
            // Grouped by chapter, in the course's reading order.
            let groups = dockyard_course::CHAPTERS.iter().filter_map(|chapter| {
                let rules: Vec<&Rule> =
                    RULES.iter().filter(|r| r.chapter == chapter.slug).collect();
                (!rules.is_empty()).then(|| html! {
                    <section>
                        <h2>{ chapter_link(chapter.slug) }</h2>
                        <ul class="finding-list">{ for rules.into_iter().map(finding_link) }</ul>
                    </section>
                })
            });
            html! {
                <main class="notes finding-page" id="main" aria-labelledby="notes-heading">
                    <article>
                        <p class="part-name">{ "Reference" }</p>
                        <h1 id="notes-heading" tabindex="-1">{ "Validator findings" }</h1>
                        <p>
                            { format!("Dockyard checks task definitions against {} rules of AWS. ", RULES.len()) }
                            { "Each finding has a stable code; the command line explains one with " }
                            <code>{ "dockyard explain CODE" }</code>{ "." }
                        </p>
                        { for groups }
                    </article>
                </main>
            }
        }
    }
}
