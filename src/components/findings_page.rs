//! The validator's findings and the sandbox's refusals as a reference: one
//! page per code (linked from the notes, from every finding and from every
//! refused step), and an index of them all.

use dockyard_course::chapter;
use dockyard_model::iam::{policy_check, CheckKind, PolicyCheck, POLICY_CHECKS};
use dockyard_model::sim::{refusal, Origin, Refusal, REFUSALS};
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
    html! { <a href={crate::route::href(&format!("notes/{slug}/"))}>{ title }</a> }
}

fn code_link(code: &'static str, title: &'static str) -> Html {
    html! {
        <li>
            <a href={crate::route::href(&format!("findings/{code}/"))}><code>{ code }</code></a>
            { " \u{2014} " }{ title }
        </li>
    }
}

fn finding_link(rule: &Rule) -> Html {
    code_link(rule.code, rule.title)
}

fn refusal_link(refusal: &Refusal) -> Html {
    code_link(refusal.code, refusal.title)
}

/// One refusal code's page, laid out as a finding's.
fn refusal_page(refusal: &'static Refusal) -> Html {
    let siblings: Vec<&Refusal> = REFUSALS
        .iter()
        .filter(|r| r.chapter == refusal.chapter && r.code != refusal.code)
        .collect();
    let class = match refusal.origin {
        Origin::Aws => "verdict denied",
        Origin::Dockyard => "verdict neutral",
    };
    html! {
        <main class="notes finding-page" id="main" tabindex="-1" aria-labelledby="notes-heading">
            <article>
                <p class="part-name"><a href={crate::route::href("findings/")}>{ "Sandbox refusals" }</a></p>
                <h1 id="notes-heading" tabindex="-1">{ refusal.title }</h1>
                <p class="finding-meta">
                    <code>{ refusal.code }</code>{ " " }
                    <span class={class}>{ format!("refused by {}", refusal.origin.label()) }</span>
                </p>
                <h2>{ format!("Why {} refuses it", refusal.origin.label()) }</h2>
                <p>{ refusal.why }</p>
                <p>{ "Taught in " }{ chapter_link(refusal.chapter) }{ "." }</p>
                if !siblings.is_empty() {
                    <h2>{ "Other refusals taught there" }</h2>
                    <ul class="finding-list">{ for siblings.into_iter().map(refusal_link) }</ul>
                }
            </article>
        </main>
    }
}

fn check_class(kind: CheckKind) -> &'static str {
    match kind {
        CheckKind::Error => "verdict denied",
        CheckKind::SecurityWarning | CheckKind::Warning => "verdict warning",
        CheckKind::Suggestion => "verdict neutral",
    }
}

fn check_link(check: &PolicyCheck) -> Html {
    code_link(check.code, check.title)
}

/// One policy check's page, laid out as a finding's.
fn policy_check_page(check: &'static PolicyCheck) -> Html {
    let siblings: Vec<&PolicyCheck> = POLICY_CHECKS
        .iter()
        .filter(|c| c.kind == check.kind && c.code != check.code)
        .collect();
    html! {
        <main class="notes finding-page" id="main" tabindex="-1" aria-labelledby="notes-heading">
            <article>
                <p class="part-name"><a href={crate::route::href("findings/#policy-checks")}>{ "Policy checks" }</a></p>
                <h1 id="notes-heading" tabindex="-1">{ check.title }</h1>
                <p class="finding-meta">
                    <code>{ check.code }</code>{ " " }
                    <span class={check_class(check.kind)}>{ check.kind.label() }</span>
                </p>
                <h2>{ "What IAM does with it" }</h2>
                <p>{ check.why }</p>
                <p>{ "Source: " }{ check.source }{ ". Try a policy in the " }<a href={crate::route::href("iam/")}>{ "policy simulator" }</a>{ ", or check a file with " }<code>{ "dockyard iam check" }</code>{ "." }</p>
                if !siblings.is_empty() {
                    <h2>{ format!("Other checks of this kind ({})", check.kind.label()) }</h2>
                    <ul class="finding-list">{ for siblings.into_iter().map(check_link) }</ul>
                }
            </article>
        </main>
    }
}

#[function_component(FindingsPage)]
pub fn findings_page(props: &FindingsPageProps) -> Html {
    if let Some(refusal) = props.code.and_then(refusal) {
        return refusal_page(refusal);
    }
    if let Some(check) = props.code.and_then(policy_check) {
        return policy_check_page(check);
    }
    match props.code.and_then(rule) {
        Some(rule) => {
            let siblings: Vec<&Rule> = RULES
                .iter()
                .filter(|r| r.chapter == rule.chapter && r.code != rule.code)
                .collect();
            html! {
                <main class="notes finding-page" id="main" tabindex="-1" aria-labelledby="notes-heading">
                    <article>
                        <p class="part-name"><a href={crate::route::href("findings/")}>{ "Validator findings" }</a></p>
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
            let refusal_groups = dockyard_course::CHAPTERS.iter().filter_map(|chapter| {
                let refusals: Vec<&Refusal> = REFUSALS
                    .iter()
                    .filter(|r| r.chapter == chapter.slug)
                    .collect();
                (!refusals.is_empty()).then(|| html! {
                    <section>
                        <h3>{ chapter_link(chapter.slug) }</h3>
                        <ul class="finding-list">{ for refusals.into_iter().map(refusal_link) }</ul>
                    </section>
                })
            });
            html! {
                <main class="notes finding-page" id="main" tabindex="-1" aria-labelledby="notes-heading">
                    <article>
                        <p class="part-name">{ "Reference" }</p>
                        <h1 id="notes-heading" tabindex="-1">{ "Validator findings" }</h1>
                        <p>
                            { format!("Dockyard checks task definitions against {} rules of AWS. ", RULES.len()) }
                            { "Each finding has a stable code; the command line explains one with " }
                            <code>{ "dockyard explain CODE" }</code>{ "." }
                        </p>
                        { for groups }
                        <section id="refusals" aria-labelledby="refusals-heading">
                            <h2 id="refusals-heading">{ "Sandbox refusals" }</h2>
                            <p>
                                { format!("A command the sandbox refuses changes nothing and carries one of {} codes: most are AWS's rules, some are Dockyard's own bounds or simplifications, and each page says which. ", REFUSALS.len()) }
                                <code>{ "dockyard explain CODE" }</code>{ " explains these codes too." }
                            </p>
                            { for refusal_groups }
                        </section>
                        <section id="policy-checks" aria-labelledby="policy-checks-heading">
                            <h2 id="policy-checks-heading">{ "Policy checks" }</h2>
                            <p>
                                { format!("The policy simulator and {} check policies in the manner of IAM Access Analyzer's validation, with {} codes: errors IAM refuses or that make a statement match nothing, security warnings for what grants more than it seems, warnings and suggestions.", "dockyard iam check", POLICY_CHECKS.len()) }
                            </p>
                            <ul class="finding-list">{ for POLICY_CHECKS.iter().map(check_link) }</ul>
                        </section>
                    </article>
                </main>
            }
        }
    }
}
