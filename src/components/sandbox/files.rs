//! The learner's files beside the terminal: listed, opened in an editor,
//! created, removed. They are kept in the session (saved, shared and
//! exported with the work), and `file://`, `cat`, `> FILE` and `edit` in
//! the terminal use the same files. A file that reads as a task definition
//! is checked by the model's validator as it is edited.

use dockyard_model::taskdef::{self, Severity};
use yew::prelude::*;

use super::{Action, Place, SandboxState};
use crate::components::event_value;

impl SandboxState {
    pub(super) fn view_learner_files(&self, send: &Callback<Action>) -> Html {
        let files = &self.player.session().files;
        let open = self.editing.as_ref().map(|path| {
            let text = self.forms.file_draft(path).map(str::to_string);
            (
                path.clone(),
                text.unwrap_or_else(|| files.get(path).cloned().unwrap_or_default()),
            )
        });
        html! {
            <section class="files" aria-labelledby="files-heading">
                <h2 id="files-heading">{ format!("Your files ({})", files.len()) }</h2>
                { self.view_answer(Place::Files) }
                <p class="muted">{ "Task definitions, policies, Kubernetes manifests, scripts: kept with this session. In the terminal: " }
                    <code>{ "ls" }</code>{ ", " }<code>{ "cat FILE" }</code>{ ", " }<code>{ "... > FILE" }</code>{ ", " }
                    <code>{ "file://FILE" }</code>{ ", " }<code>{ "kubectl apply -f FILE" }</code>{ ", " }<code>{ "edit FILE" }</code>{ "." }</p>
                <ul class="file-list">
                    { for files.keys().map(|path| {
                        let current = self.editing.as_deref() == Some(path.as_str());
                        let chosen = path.clone();
                        html! {
                            <li>
                                <button type="button" class="file" aria-pressed={current.to_string()}
                                    onclick={send.reform(move |_| Action::EditFile(Some(chosen.clone())))}>{ path }</button>
                            </li>
                        }
                    }) }
                </ul>
                <form class="new-file" onsubmit={send.reform(|e: SubmitEvent| {
                    e.prevent_default();
                    let input: Option<web_sys::HtmlInputElement> = e
                        .target()
                        .and_then(|form| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(form).ok())
                        .and_then(|form| form.query_selector("input[name='new-file-name']").ok().flatten())
                        .and_then(|item| wasm_bindgen::JsCast::dyn_into(item).ok());
                    let name = input.map(|i| i.value()).unwrap_or_default();
                    Action::EditFile(Some(name.trim().to_string()))
                })}>
                    <label>{ "New file " }<input name="new-file-name" placeholder="web.json" spellcheck="false" /></label>
                    <button type="submit">{ "Create" }</button>
                </form>
                if let Some((path, text)) = open {
                    { editor(&path, &text, send) }
                }
            </section>
        }
    }
}

fn editor(path: &str, text: &str, send: &Callback<Action>) -> Html {
    let saving = path.to_string();
    let drafting = path.to_string();
    let removing = path.to_string();
    html! {
        <div class="file-editor">
            <label for="file-text">{ "Editing " }<code>{ path }</code></label>
            // Keyed by the file, so that opening another file shows its text.
            <textarea key={path.to_string()} id="file-text" class="checker-text" rows="14" spellcheck="false"
                value={text.to_string()}
                oninput={send.reform(move |e: InputEvent| Action::Form(super::FormMsg::FileDraft(drafting.clone(), event_value(&e))))}
                onchange={send.reform(move |e: Event| Action::SaveFile(saving.clone(), event_value(&e)))} />
            <div class="file-actions">
                <button type="button" class="save-file">{ "Save" }</button>
                <button type="button" class="remove-file" onclick={send.reform(move |_| Action::RemoveFile(removing.clone()))}>{ "Delete" }</button>
                <button type="button" onclick={send.reform(|_| Action::EditFile(None))}>{ "Close" }</button>
            </div>
            if path.ends_with(".yaml") || path.ends_with(".yml") {
                { manifest_findings(path, text) }
            } else {
                { findings(text) }
            }
        </div>
    }
}

/// What kubectl and the API server would say of a manifest, per document.
fn manifest_findings(path: &str, text: &str) -> Html {
    if text.trim().is_empty() {
        return html! {};
    }
    html! {
        <ul class="file-findings">
            { for dockyard_terminal::check_manifest(path, text).into_iter().take(8).map(|finding| html! {
                <li class={if finding.refused { "error" } else { "note" }}>{ finding.message }</li>
            }) }
        </ul>
    }
}

/// The validator's findings for a file that reads as a task definition.
fn findings(text: &str) -> Html {
    let looks_like_definition = text.contains("\"containerDefinitions\"");
    if !looks_like_definition {
        return html! {};
    }
    match taskdef::check(text) {
        Err(error) => {
            html! { <p class="file-findings error">{ format!("Not JSON yet: {error}") }</p> }
        }
        Ok(imported) if imported.findings.is_empty() => html! {
            <p class="file-findings ok">{ "A task definition with no findings: aws ecs register-task-definition --cli-input-json file://… would take it (less any member register does not take)." }</p>
        },
        Ok(imported) => html! {
            <ul class="file-findings">
                { for imported.findings.iter().take(8).map(|finding| html! {
                    <li class={match finding.severity { Severity::Error => "error", Severity::Warning => "warning", _ => "note" }}>
                        <a href={crate::route::href(&format!("findings/{}/", finding.code))}><code>{ finding.code }</code></a>
                        { format!(" {}: {}", finding.path, finding.message) }
                    </li>
                }) }
            </ul>
        },
    }
}
