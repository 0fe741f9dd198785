//! The policy simulator page: the policies that take part in one request
//! and the request itself, written as the learner would write them for AWS,
//! and IAM's answer with every policy's part in it. The reading and the
//! deciding are `dockyard_course::policy_simulator`'s and the model's; this
//! page draws them. The draft is kept in this browser as typed.

use dockyard_course::policy_simulator::{
    example, Draft, Field, ResourceKind, Simulation, EXAMPLES,
};
use dockyard_course::storage::{Key, Load};
use dockyard_model::iam::{Authorization, DecisionEffect, PolicyFinding, Verdict};
use yew::prelude::*;

use super::event_value;
use crate::storage;

/// The saved draft, or the first example; and what to tell the learner
/// when the saved one could not be read (it is then set aside).
fn load() -> (Draft, Option<String>) {
    let first = || EXAMPLES[0].start();
    match storage::load(Key::PolicySimulator, Draft::parse) {
        Load::Found(draft) => (draft, None),
        Load::Absent => (first(), None),
        Load::SetAside(notice) => (first(), Some(notice)),
        Load::Refused(error) => (
            first(),
            Some(format!(
                "This browser refuses storage ({error}): the draft lives only in this tab."
            )),
        ),
    }
}

fn save(draft: &Draft) {
    // Full or refused storage: the draft then lives only in the page.
    let _ = storage::save(Key::PolicySimulator, &draft.to_json());
}

fn effect_badge(effect: DecisionEffect) -> Html {
    let (class, words) = match effect {
        DecisionEffect::Allowed => ("verdict allowed", "Allowed"),
        DecisionEffect::ExplicitlyDenied => ("verdict denied", "Explicitly denied"),
        DecisionEffect::ImplicitlyDenied => ("verdict denied", "Implicitly denied"),
    };
    html! { <span class={class}>{ words }</span> }
}

fn finding_item((field, finding): &(Field, PolicyFinding)) -> Html {
    let at = if finding.path.is_empty() {
        "(whole policy)".to_string()
    } else {
        finding.path.clone()
    };
    html! {
        <li class="finding">
            <span class="verdict neutral">{ finding.kind.label() }</span>
            <span class="finding-field">{ field.label() }</span>
            <code class="finding-path">{ at }</code>
            <span class="finding-message">{ finding.message.clone() }</span>
            <a class="finding-code" href={crate::route::href(&format!("findings/{}/", finding.code))}>{ format!("Why? ({})", finding.code) }</a>
        </li>
    }
}

fn verdict_row(verdict: &Verdict) -> Html {
    let said = match (verdict.denies, verdict.allows) {
        (true, _) => html! { <span class="verdict denied">{ "Deny matches" }</span> },
        (false, true) => html! { <span class="verdict allowed">{ "Allows" }</span> },
        (false, false) => html! { <span class="verdict neutral">{ "No statement matches" }</span> },
    };
    let statements: Vec<String> = verdict.statements.iter().map(|s| s.describe()).collect();
    html! {
        <tr>
            <th scope="row">{ verdict.policy_type.label() }</th>
            <td>{ said }</td>
            <td>
                if statements.is_empty() {
                    <span class="muted">{ "none" }</span>
                } else {
                    <ul class="plain">{ for statements.into_iter().map(|s| html! { <li>{ s }</li> }) }</ul>
                }
                if !verdict.notes.is_empty() {
                    <ul class="plain condition-notes">{ for verdict.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
                }
            </td>
        </tr>
    }
}

fn answer_view(answer: &Authorization) -> Html {
    let missing = answer.missing_context();
    html! {
        <>
            <p class="simulator-verdict">
                { effect_badge(answer.effect) }
                if let Some(by) = answer.decided_by {
                    <span class="muted">{ format!(" decided by the {}", by.label()) }</span>
                }
            </p>
            <p class="simulator-explanation">{ answer.explanation.clone() }</p>
            if !answer.deciding.is_empty() {
                <p>
                    { "Deciding statements: " }
                    { answer.deciding.iter().map(|s| s.describe()).collect::<Vec<_>>().join("; ") }
                </p>
            }
            <table class="verdicts">
                <caption>{ "What each kind of policy said, in the order IAM reads them" }</caption>
                <thead><tr><th scope="col">{ "Policy" }</th><th scope="col">{ "Answer" }</th><th scope="col">{ "Matched statements and conditions" }</th></tr></thead>
                <tbody>{ for answer.verdicts.iter().map(verdict_row) }</tbody>
            </table>
            if !missing.is_empty() {
                <p class="missing-context">
                    { "Condition keys the request context lacks: " }<code>{ missing.join(", ") }</code>
                    { ". IAM treats a missing key as AWS documents: an operator on it does not hold (a negated one does, and ...IfExists holds); add the key to the context to see the other case." }
                </p>
            }
        </>
    }
}

fn result_view(simulation: &Simulation) -> Html {
    if !simulation.problems.is_empty() {
        return html! {
            <>
                <p class="simulator-verdict"><span class="verdict neutral">{ "Not decided yet" }</span></p>
                <ul class="findings">
                    { for simulation.problems.iter().map(|p| html! {
                        <li class="finding">
                            <a class="finding-field" href={format!("#{}", p.field.id())} onclick={focus_field(p.field.id())}>{ p.field.label() }</a>
                            <span class="finding-message">{ p.message.clone() }</span>
                        </li>
                    }) }
                </ul>
            </>
        };
    }
    match &simulation.answer {
        Some(answer) => answer_view(answer),
        None => html! {},
    }
}

/// Moves focus to a field without touching the hash, which is the route.
fn focus_field(id: &'static str) -> Callback<MouseEvent> {
    Callback::from(move |event: MouseEvent| {
        event.prevent_default();
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id));
        if let Some(element) = element {
            use wasm_bindgen::JsCast;
            if let Some(html) = element.dyn_ref::<web_sys::HtmlElement>() {
                let _ = html.focus();
            }
        }
    })
}

#[function_component(PolicySimulator)]
pub fn policy_simulator() -> Html {
    let loaded = use_memo((), |_| load());
    let draft = use_state(|| loaded.0.clone());
    let notice = use_state(|| loaded.1.clone());
    let simulation = use_memo((*draft).clone(), |draft| draft.simulate());

    let edit = |field: Field| {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            let mut next = (*draft).clone();
            let target: web_sys::HtmlTextAreaElement = event.target_unchecked_into();
            *field.text_mut(&mut next) = target.value();
            save(&next);
            draft.set(next);
        })
    };
    let edit_line = |field: Field| {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            let mut next = (*draft).clone();
            let target: web_sys::HtmlInputElement = event.target_unchecked_into();
            *field.text_mut(&mut next) = target.value();
            save(&next);
            draft.set(next);
        })
    };
    let on_kind = {
        let draft = draft.clone();
        Callback::from(move |event: Event| {
            if let Some(kind) = ResourceKind::from_key(&event_value(&event)) {
                let next = Draft {
                    resource_kind: kind,
                    ..(*draft).clone()
                };
                save(&next);
                draft.set(next);
            }
        })
    };
    let on_example = {
        let draft = draft.clone();
        Callback::from(move |event: Event| {
            if let Some(chosen) = example(&event_value(&event)) {
                let next = chosen.start();
                save(&next);
                draft.set(next);
            }
        })
    };
    let started = draft.started_from();
    let unedited = started.is_some_and(|e| e.unedited(&draft));
    let policy_field = |field: Field, rows: u32, hint: &'static str| {
        html! {
            <div class="simulator-field">
                <label for={field.id()}>{ field.label() }</label>
                <span class="muted field-hint">{ hint }</span>
                <textarea id={field.id()} class="checker-text policy-text" spellcheck="false" wrap="off"
                    rows={rows.to_string()} value={field.text(&draft).to_string()} oninput={edit(field)} />
            </div>
        }
    };
    let line = |field: Field, hint: &'static str| {
        html! {
            <label class="simulator-line">
                <span>{ field.label() }</span>
                <input id={field.id()} type="text" spellcheck="false" autocomplete="off"
                    value={field.text(&draft).to_string()} oninput={edit_line(field)} aria-describedby={format!("{}-hint", field.id())} />
                <span class="muted field-hint" id={format!("{}-hint", field.id())}>{ hint }</span>
            </label>
        }
    };

    html! {
        <main class="editor-page simulator-page" id="main" tabindex="-1" aria-labelledby="notes-heading">
            <h1 id="notes-heading" tabindex="-1">{ "Policy simulator" }</h1>
            <p class="panel-lead">
                { "Write the policies that take part in one request and the request itself; the answer is IAM's documented evaluation logic, with every policy's part in it. Leave a policy empty when it does not take part. The same answers come from " }
                <code>{ "aws iam simulate-custom-policy" }</code>{ " in the sandbox's terminal and " }<code>{ "dockyard iam simulate" }</code>{ "." }
            </p>
            if let Some(message) = (*notice).clone() {
                <p class="notice" role="status">{ message }</p>
            }
            <label class="simulator-line simulator-examples">
                <span>{ "Start from an example" }</span>
                <select id="simulator-example" onchange={on_example}>
                    <option value="" selected={!unedited}>{ if started.is_some() && !unedited { "Your edit of the example below" } else { "Your own draft" } }</option>
                    { for EXAMPLES.iter().map(|e| html! {
                        <option value={e.id} selected={unedited && started.is_some_and(|c| c.id == e.id)}>{ e.title }</option>
                    }) }
                </select>
            </label>
            if let Some(started) = started {
                <p class="simulator-try"><strong>{ started.title }{ ". " }</strong>{ started.try_this }</p>
            }
            <div class="editor-columns">
                <section class="simulator-policies" aria-label="Policies">
                    { policy_field(Field::Identity, 10, "The caller's inline or managed policy. Empty for a service principal.") }
                    { policy_field(Field::ResourcePolicy, 8, "The policy on the resource, if it has one.") }
                    <label class="simulator-line">
                        <span>{ "Kind of resource policy" }</span>
                        <select id="policy-resource-kind" onchange={on_kind}>
                            { for ResourceKind::ALL.into_iter().map(|kind| html! {
                                <option value={kind.key()} selected={draft.resource_kind == kind}>{ kind.label() }</option>
                            }) }
                        </select>
                    </label>
                    { policy_field(Field::Boundary, 6, "The role's permissions boundary: the most its own policies can grant.") }
                    { policy_field(Field::Session, 4, "A session policy passed when the role was assumed.") }
                    { policy_field(Field::Scp, 6, "The caller's account's SCPs, as one document. They never grant: include an Allow, as FullAWSAccess does.") }
                    { policy_field(Field::Rcp, 4, "The resource's account's RCPs, as one document.") }
                </section>
                <section class="simulator-request" aria-labelledby="request-heading">
                    <section class="simulator-answer" aria-labelledby="answer-heading" aria-live="polite">
                        <h2 id="answer-heading">{ "IAM's answer" }</h2>
                        { result_view(&simulation) }
                    </section>
                    <h2 id="request-heading">{ "The request" }</h2>
                    { line(Field::Caller, "A role, session or user ARN, or a service principal such as ecs-tasks.amazonaws.com.") }
                    { line(Field::Action, "One action, such as s3:GetObject.") }
                    { line(Field::Resource, "The resource's ARN, or *.") }
                    { line(Field::ResourceOwner, "Only when the ARN does not name it (S3): the account that owns the resource.") }
                    <div class="simulator-field">
                        <label for={Field::Context.id()}>{ Field::Context.label() }</label>
                        <span class="muted field-hint">{ "One key per line: aws:SourceAccount=111122223333, or a list: aws:TagKeys=team,env." }</span>
                        <textarea id={Field::Context.id()} class="checker-text" spellcheck="false" wrap="off" rows="4"
                            value={draft.context.clone()} oninput={edit(Field::Context)} />
                    </div>
                    if !simulation.findings.is_empty() {
                        <section aria-labelledby="checks-heading">
                            <h2 id="checks-heading">{ "Policy checks" }</h2>
                            <p class="muted">{ "In the manner of IAM Access Analyzer's policy validation; each code has its page." }</p>
                            <ul class="findings">{ for simulation.findings.iter().map(finding_item) }</ul>
                        </section>
                    }
                </section>
            </div>
        </main>
    }
}
