//! The task definition editor: a form and the JSON of the same definition,
//! edited both ways, with the validator's findings beside the fields they
//! concern. The JSON text is the one source of truth: the form reads the
//! definition parsed from it and writes back by exporting. Every rule is the
//! model's (`taskdef::check`); the size menu is the model's Fargate menu.
//! The text, the registered revisions and the attach-a-volume row are one
//! state behind `use_reducer`; `load_draft` and `save_draft` hold every
//! storage call.

use dockyard_model::fargate;
use dockyard_model::storage::{attach, support, EcsPlatform, VolumeType};
use dockyard_model::taskdef::{
    self, lines, Finding, Severity, TaskDefinition, TaskDefinitionRegistry,
};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::reducer::{Machine, Owned};
use super::task_definition_checker::EXAMPLE;
use crate::storage;
use dockyard_course::storage::Key;

/// One change the form makes to the definition, given the field's value;
/// or why the value cannot be written into the definition at all (a port
/// that is not a number), in which case the definition stays as it was and
/// the field keeps what was typed, with the reason beside it.
type Edit = Rc<dyn Fn(&mut TaskDefinition, &str) -> Result<(), String>>;

/// A change that any value can make.
fn change(apply: impl Fn(&mut TaskDefinition, &str) + 'static) -> Edit {
    Rc::new(move |definition, value| {
        apply(definition, value);
        Ok(())
    })
}

/// A change that some values cannot make.
fn checked(apply: impl Fn(&mut TaskDefinition, &str) -> Result<(), String> + 'static) -> Edit {
    Rc::new(apply)
}

fn set_opt(field: &mut Option<String>, value: &str) {
    *field = (!value.trim().is_empty()).then(|| value.trim().to_string());
}

fn set_number(field: &mut Option<i64>, value: &str) -> Result<(), String> {
    *field = lines::whole_number(value)?;
    Ok(())
}

/// What the learner typed into a field that could not take it, and why,
/// by the field's name: shown in the field until it is changed again.
type Typed = std::collections::BTreeMap<String, (String, String)>;

/// A text field that follows every keystroke: the value the definition
/// holds, or what was typed when it could not be written, said beside it.
fn text_field(
    label: &str,
    name: String,
    value: String,
    typed: &Typed,
    oninput: Callback<InputEvent>,
) -> Html {
    let refused = typed.get(&name);
    let error_id = format!("{name}-error");
    html! {
        <label>{ label }
            <input name={name.clone()} value={refused.map_or(value, |(text, _)| text.clone())} {oninput}
                aria-invalid={refused.map(|_| "true")} aria-describedby={refused.map(|_| error_id.clone())} />
            if let Some((_, why)) = refused {
                <span class="field-error" id={error_id}>{ why.clone() }{ ". The definition keeps its last value." }</span>
            }
        </label>
    }
}

/// The findings about `path` or anything inside it.
fn about<'a>(findings: &'a [Finding], path: &str) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| {
            f.path == path
                || f.path.starts_with(&format!("{path}."))
                || f.path.starts_with(&format!("{path}["))
        })
        .collect()
}

fn finding_item(finding: &Finding) -> Html {
    let class = match finding.severity {
        Severity::Error => "verdict denied",
        Severity::Warning => "verdict warning",
        Severity::Note => "verdict neutral",
    };
    html! {
        <li class="finding">
            <span class={class}>{ finding.severity.label() }</span>
            <code class="finding-path">{ if finding.path.is_empty() { "(whole definition)".to_string() } else { finding.path.clone() } }</code>
            <span class="finding-message">{ finding.message.clone() }</span>
            { aws_answer(finding.code) }
            <a class="finding-code" href={crate::route::href(&format!("findings/{}/", finding.code))}>{ format!("Why? ({})", finding.code) }</a>
        </li>
    }
}

/// The words ECS refuses the definition with, where AWS documents them, so
/// the learner recognises them in real work.
pub(crate) fn aws_answer(code: &str) -> Html {
    match dockyard_model::taskdef::aws_message(code) {
        Some(message) => html! {
            <span class="finding-aws">{ "ECS answers: " }<code>{ message }</code></span>
        },
        None => Html::default(),
    }
}

/// Findings shown next to a field.
fn beside(findings: &[Finding], paths: &[&str]) -> Html {
    let mut shown: Vec<&Finding> = Vec::new();
    for path in paths {
        for finding in about(findings, path) {
            if !shown.iter().any(|f| std::ptr::eq(*f, finding)) {
                shown.push(finding);
            }
        }
    }
    if shown.is_empty() {
        return html! {};
    }
    html! { <ul class="findings beside">{ for shown.into_iter().map(finding_item) }</ul> }
}

/// The draft saved last, or the example.
fn load_draft() -> String {
    // Raw text, so that even invalid JSON survives a reload.
    storage::read(Key::Editor).unwrap_or_else(|| EXAMPLE.to_string())
}

/// Keeps the draft; storage can be full or refused, and the draft then
/// lives only in the page (the caller says so).
fn save_draft(text: &str) -> Result<(), String> {
    storage::save(Key::Editor, text)
}

/// A field of the "attach a volume" row.
#[derive(Clone, Copy)]
enum VolumeField {
    /// An index into `attach::ATTACHABLE`.
    Kind,
    Name,
    /// An index into the definition's containers.
    Container,
    Path,
}

/// What the learner does in the editor.
enum Action {
    /// The JSON as typed (or imported, or written back by the form).
    Text(String),
    /// A form field's new value (by the field's name), applied to the
    /// definition the JSON holds.
    Edit(String, Edit, String),
    Volume(VolumeField, String),
    Attach,
    Register,
    Export,
    /// A chosen file's text, or why it could not be read.
    Imported(Result<String, String>),
    /// The definition on screen and the one kept from before the last
    /// import change places (so neither is lost).
    SwapKept,
    /// The learner no longer wants the kept definition.
    LetKeptGo,
}

/// The editor's state: the JSON text (the one source of truth), the
/// registered revisions, and the attach-a-volume row.
struct EditorState {
    text: String,
    registry: TaskDefinitionRegistry,
    revisions: Vec<String>,
    message: Option<(bool, String)>,
    /// The text the last import replaced, kept in the browser through
    /// edits and reloads until the learner swaps it back or lets it go.
    kept: Option<String>,
    /// Values typed into the form that the definition could not take.
    typed: Typed,
    /// The answer to "Attach the volume", drawn beside it.
    attach_note: Option<(bool, String)>,
    volume_kind: String,
    volume_name: String,
    volume_container: String,
    volume_path: String,
}

impl EditorState {
    fn new() -> EditorState {
        EditorState {
            text: load_draft(),
            registry: TaskDefinitionRegistry::default(),
            revisions: Vec::new(),
            message: None,
            kept: storage::read(Key::EditorBefore),
            typed: Typed::new(),
            attach_note: None,
            volume_kind: "4".into(),
            volume_name: "data".into(),
            volume_container: "0".into(),
            volume_path: "/data".into(),
        }
    }

    fn set_text(&mut self, text: String) {
        // Kept on screen either way; said when the browser would not keep it.
        if let Err(error) = save_draft(&text) {
            self.message = note(
                false,
                format!("Not saved in this browser ({error}): export the definition to keep it."),
            );
        }
        self.text = text;
    }

    /// Keeps `text` as the definition an import (or a swap) replaced; if
    /// the browser will not keep it, it stays for this visit and the
    /// learner is told.
    fn keep(&mut self, text: String) {
        if let Err(error) = storage::save(Key::EditorBefore, &text) {
            self.message = note(
                false,
                format!("The definition you had is kept only until this page closes ({error}): swap it back and export it to keep it."),
            );
        }
        self.kept = Some(text);
    }

    /// The definition the JSON holds, if it reads.
    fn definition(&self) -> Option<TaskDefinition> {
        taskdef::check(&self.text).ok().and_then(|i| i.definition)
    }

    fn attach(&mut self, mut definition: TaskDefinition) {
        let kind = self
            .volume_kind
            .parse()
            .ok()
            .and_then(|i: usize| attach::ATTACHABLE.get(i).copied());
        let container = self.volume_container.parse().unwrap_or(usize::MAX);
        let (name, path) = (&self.volume_name, &self.volume_path);
        let result = match kind {
            Some(kind) => attach::attach(&mut definition, kind, name, container, path),
            None => Err("kind: choose a kind of volume".into()),
        };
        match result {
            Ok(()) => {
                self.attach_note = note(
                    true,
                    format!(
                        "Attached {} at {}; the verdict is beside it.",
                        name.trim(),
                        path
                    ),
                );
                self.set_text(taskdef::export(&definition));
            }
            Err(error) => self.attach_note = note(false, format!("Not attached: {error}.")),
        }
    }

    fn register(&mut self, definition: TaskDefinition) {
        match self.registry.register(definition) {
            Ok(revision) => {
                self.message = note(true, format!("Registered {revision}."));
                self.revisions = self.registry.revisions().map(|r| r.to_string()).collect();
            }
            Err(errors) => {
                self.message = note(
                    false,
                    format!(
                        "AWS would refuse this registration: {} error{}; see the findings.",
                        errors.len(),
                        if errors.len() == 1 { "" } else { "s" }
                    ),
                )
            }
        }
    }

    fn export(&mut self, definition: &TaskDefinition) {
        let name = format!(
            "{}.json",
            if definition.family.is_empty() {
                "task-definition"
            } else {
                &definition.family
            }
        );
        if let Err(error) = super::sandbox::download(&name, &taskdef::export(definition)) {
            self.message = note(
                false,
                format!("The file could not be offered for download: {error}"),
            );
        }
    }
}

impl Machine for EditorState {
    type Action = Action;

    fn update(&mut self, action: Action) -> bool {
        match action {
            Action::Text(text) => {
                self.typed.clear();
                self.set_text(text);
            }
            Action::Volume(field, value) => {
                self.attach_note = None;
                *match field {
                    VolumeField::Kind => &mut self.volume_kind,
                    VolumeField::Name => &mut self.volume_name,
                    VolumeField::Container => &mut self.volume_container,
                    VolumeField::Path => &mut self.volume_path,
                } = value;
            }
            Action::Imported(Ok(text)) => {
                self.message = note(true, "Imported: the findings below are the file's. describe-task-definition output is unwrapped to what register-task-definition takes. The definition it replaced is kept below.");
                let before = std::mem::take(&mut self.text);
                self.keep(before);
                self.typed.clear();
                self.set_text(text);
            }
            Action::Imported(Err(message)) => self.message = note(false, message),
            Action::SwapKept => {
                let Some(kept) = self.kept.take() else {
                    return false;
                };
                self.message = note(true, "Swapped: the kept definition is back, and the one you had is kept in its place.");
                let current = std::mem::take(&mut self.text);
                self.keep(current);
                self.typed.clear();
                self.set_text(kept);
            }
            Action::LetKeptGo => {
                self.kept = None;
                storage::forget(Key::EditorBefore);
                self.message = note(true, "The kept definition is gone.");
            }
            // The rest work on the definition the JSON holds; without one
            // (the JSON does not read), they do nothing.
            Action::Edit(name, apply, value) => {
                let Some(mut definition) = self.definition() else {
                    return false;
                };
                let applied = apply(&mut definition, &value).and_then(|()| {
                    // AWS refuses a definition past 64 KiB: one field cannot
                    // take the whole definition past it.
                    let text = taskdef::export(&definition);
                    match text.len() > taskdef::MAX_DEFINITION_BYTES {
                        true => Err(format!(
                            "too large: with it the task definition would be {} KiB, and AWS takes at most 64 KiB",
                            text.len().div_ceil(1024)
                        )),
                        false => Ok(text),
                    }
                });
                match applied {
                    Ok(text) => {
                        self.typed.remove(&name);
                        self.set_text(text);
                    }
                    Err(why) => {
                        self.typed.insert(name, (value, why));
                    }
                }
            }
            Action::Attach => match self.definition() {
                Some(definition) => self.attach(definition),
                None => return false,
            },
            Action::Register => match self.definition() {
                Some(definition) => self.register(definition),
                None => return false,
            },
            Action::Export => match self.definition() {
                Some(definition) => self.export(&definition),
                None => return false,
            },
        }
        true
    }
}

#[function_component(TaskDefinitionEditor)]
pub fn task_definition_editor() -> Html {
    let state = use_reducer(|| Owned::new(EditorState::new()));
    let send = state.dispatcher().to_callback();
    let this = state.get();
    let (text, message, revisions) = (&this.text, &this.message, &this.revisions);
    let (volume_kind, volume_name, volume_container, volume_path) = (
        &this.volume_kind,
        &this.volume_name,
        &this.volume_container,
        &this.volume_path,
    );
    // Said as it is typed, not only when Attach is pressed.
    let path_error = (!volume_path.trim().is_empty())
        .then(|| attach::container_path_error(volume_path))
        .flatten();
    let relative_path = path_error.is_some();
    let checked = taskdef::check(text);
    let definition: Option<TaskDefinition> =
        checked.as_ref().ok().and_then(|i| i.definition.clone());
    let findings: Vec<Finding> = checked
        .as_ref()
        .map(|i| i.findings.clone())
        .unwrap_or_default();

    // The form edits the parsed definition and writes the JSON back.
    let edit = |name: String, apply: Edit| -> Callback<String> {
        send.reform(move |value: String| Action::Edit(name.clone(), apply.clone(), value))
    };
    let on_text = send.reform(|e: InputEvent| {
        let area: HtmlTextAreaElement = e.target_unchecked_into();
        Action::Text(area.value())
    });
    // Every form control reports its value (a checkbox, "true" or "false");
    // text fields as they are typed, so that the verdict follows typing.
    let field = |name: &str, apply: Edit| {
        let edit = edit(name.to_string(), apply);
        Callback::from(move |e: Event| edit.emit(super::event_value(&e)))
    };
    let typing = |name: &str, apply: Edit| {
        let edit = edit(name.to_string(), apply);
        Callback::from(move |e: InputEvent| edit.emit(super::event_value(&e)))
    };
    let typed = &this.typed;
    let keep = |field: VolumeField| {
        send.reform(move |e: InputEvent| Action::Volume(field, super::event_value(&e)))
    };
    let choose = |field: VolumeField| {
        send.reform(move |e: Event| Action::Volume(field, super::event_value(&e)))
    };
    let on_attach = send.reform(|_: MouseEvent| Action::Attach);
    let on_register = send.reform(|_: MouseEvent| Action::Register);
    let on_export = send.reform(|_: MouseEvent| Action::Export);
    let on_file = {
        let send = send.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            input.set_value("");
            // Refused by its size before a byte is read: no file freezes the page.
            if file.size() > taskdef::MAX_DEFINITION_BYTES as f64 {
                send.emit(Action::Imported(Err(format!(
                    "Not imported: {} is {:.0} bytes, and a task definition is at most 64 KiB ({} bytes). Your definition is unchanged.",
                    file.name(),
                    file.size(),
                    taskdef::MAX_DEFINITION_BYTES
                ))));
                return;
            }
            let send = send.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    Ok(text) => importable(&file.name(), text.as_string().unwrap_or_default()),
                    Err(error) => Err(format!(
                        "Not imported: the file could not be read ({}). Your definition is unchanged.",
                        error
                            .dyn_ref::<js_sys::Error>()
                            .map(|e| String::from(e.message()))
                            .unwrap_or_default()
                    )),
                };
                send.emit(Action::Imported(text));
            });
        })
    };

    let summary = match &checked {
        Err(error) => html! {
            <p class="checker-summary" role="status">
                <span class="verdict denied">{ "Not JSON" }</span>
                { format!(" Line {}, column {}: {}. The form waits until the JSON reads again.", error.line, error.column, error.message) }
            </p>
        },
        Ok(_) => {
            let errors = taskdef::count(&findings, Severity::Error);
            html! {
                <p class="checker-summary" role="status">
                    if errors == 0 {
                        <span class="verdict allowed">{ "Valid" }</span>{ " AWS would register this task definition." }
                    } else {
                        <span class="verdict denied">{ format!("{errors} error{}", if errors == 1 { "" } else { "s" }) }</span>
                        { " AWS would refuse this task definition." }
                    }
                </p>
            }
        }
    };

    let form = match &definition {
        None => {
            html! { <p class="panel-lead">{ "The form edits a definition once its JSON reads." }</p> }
        }
        Some(d) => {
            let targets = d.requires_compatibilities.clone().unwrap_or_default();
            let fargate = targets.iter().any(|t| t == "FARGATE");
            let ec2 = targets.iter().any(|t| t == "EC2");
            let size = format!(
                "{}/{}",
                d.cpu.clone().unwrap_or_default(),
                d.memory.clone().unwrap_or_default()
            );
            let on_menu = fargate::all_sizes().any(|(c, m)| format!("{c}/{m}") == size);
            html! {
                <form class="editor-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                    { text_field("Family", "family".into(), d.family.clone(), typed, typing("family", change(|d, v| d.family = v.to_string()))) }
                    { beside(&findings, &["family"]) }
                    <fieldset>
                        <legend>{ "Launch types (requiresCompatibilities)" }</legend>
                        <label class="check"><input type="checkbox" name="target-ec2" checked={ec2} onchange={field("target-ec2", change(|d, on| set_target(d, "EC2", on == "true")))} />{ "EC2" }</label>
                        <label class="check"><input type="checkbox" name="target-fargate" checked={fargate} onchange={field("target-fargate", change(|d, on| set_target(d, "FARGATE", on == "true")))} />{ "Fargate" }</label>
                        { beside(&findings, &["requiresCompatibilities"]) }
                    </fieldset>
                    <label>{ "Network mode" }
                        <select name="network-mode" onchange={field("network-mode", change(|d, v| set_opt(&mut d.network_mode, v)))}>
                            { for ["", "awsvpc", "bridge", "host", "none"].iter().map(|m| html! {
                                <option value={*m} selected={d.network_mode.as_deref().unwrap_or("") == *m}>{ if m.is_empty() { "(default: bridge on EC2)" } else { m } }</option>
                            }) }
                        </select>
                        { beside(&findings, &["networkMode"]) }
                    </label>
                    if fargate {
                        <label>{ "Task size (the Fargate menu)" }
                            <select name="fargate-size" onchange={field("fargate-size", change(set_size))}>
                                if !on_menu {
                                    <option value={size.clone()} selected=true>{ format!("{} CPU units / {} MiB: not on the menu", d.cpu.clone().unwrap_or_default(), d.memory.clone().unwrap_or_default()) }</option>
                                }
                                { for fargate::all_sizes().map(|(c, m)| {
                                    let value = format!("{c}/{m}");
                                    html! { <option value={value.clone()} selected={value == size}>{ format!("{} vCPU, {} GB", f64::from(c) / 1024.0, f64::from(m) / 1024.0) }</option> }
                                }) }
                            </select>
                            { beside(&findings, &["cpu", "memory"]) }
                        </label>
                    } else {
                        <div class="fields">
                            { text_field("Task CPU units", "cpu".into(), d.cpu.clone().unwrap_or_default(), typed, typing("cpu", change(|d, v| set_opt(&mut d.cpu, v)))) }
                            { text_field("Task memory (MiB)", "memory".into(), d.memory.clone().unwrap_or_default(), typed, typing("memory", change(|d, v| set_opt(&mut d.memory, v)))) }
                        </div>
                        { beside(&findings, &["cpu", "memory"]) }
                    }
                    { text_field("Task role ARN (the application's own calls)", "task-role".into(), d.task_role_arn.clone().unwrap_or_default(), typed, typing("task-role", change(|d, v| set_opt(&mut d.task_role_arn, v)))) }
                    { beside(&findings, &["taskRoleArn"]) }
                    { text_field("Execution role ARN (pulls images, ships logs, reads secrets)", "execution-role".into(), d.execution_role_arn.clone().unwrap_or_default(), typed, typing("execution-role", change(|d, v| set_opt(&mut d.execution_role_arn, v)))) }
                    { beside(&findings, &["executionRoleArn"]) }
                    { for d.container_definitions.iter().enumerate().map(|(i, c)| container_fields(i, c, &findings, typed, &edit)) }
                    <fieldset class="volume-fields">
                        <legend>{ "Volumes" }</legend>
                        { for d.volumes.iter().flatten().enumerate().map(|(i, v)| {
                            let kind = VolumeType::of(v);
                            let mounts: Vec<String> = d.container_definitions.iter().flat_map(|c| {
                                c.mount_points.iter().flatten()
                                    .filter(|m| m.source_volume.as_deref() == Some(v.name.as_str()))
                                    .map(|m| format!("{} at {}", c.name, m.container_path.clone().unwrap_or_default()))
                            }).collect();
                            let name = v.name.clone();
                            html! {
                                <div class="volume-row">
                                    <p><strong>{ v.name.clone() }</strong>{ format!(": {}; mounted by {}.", kind.label(), if mounts.is_empty() { "no container".to_string() } else { mounts.join(", ") }) }
                                        { " " }<button type="button" class="detach" onclick={edit(format!("detach-{name}"), change(move |d, _| attach::detach(d, &name))).reform(|_: MouseEvent| String::new())}>{ "Remove" }</button></p>
                                    <p class="muted">{ for [(fargate, EcsPlatform::FargateLinux), (ec2 || !fargate, EcsPlatform::Ec2Linux)].into_iter().filter(|(on, _)| *on).map(|(_, p)| {
                                        let verdict = support(kind, p);
                                        html! { <span class="volume-verdict">{ format!("{}: {} {} ", p.label(), if verdict.is_supported() { "yes." } else { "no." }, verdict.note()) }</span> }
                                    }) }</p>
                                    { beside(&findings, &[format!("volumes[{i}]").as_str()]) }
                                </div>
                            }
                        }) }
                        <div class="fields">
                            <label>{ "Kind" }
                                <select name="volume-kind" onchange={choose(VolumeField::Kind)}>
                                    { for attach::ATTACHABLE.iter().enumerate().map(|(i, k)| html! {
                                        <option value={i.to_string()} selected={*volume_kind == i.to_string()}>{ k.label() }</option>
                                    }) }
                                </select>
                            </label>
                            <label>{ "Name" }<input name="volume-name" value={volume_name.clone()} oninput={keep(VolumeField::Name)} /></label>
                            <label>{ "Container" }
                                <select name="volume-container" onchange={choose(VolumeField::Container)}>
                                    { for d.container_definitions.iter().enumerate().map(|(i, c)| html! {
                                        <option value={i.to_string()} selected={*volume_container == i.to_string()}>{ c.name.clone() }</option>
                                    }) }
                                </select>
                            </label>
                            <label>{ "Path in the container" }
                                <input name="volume-path" value={volume_path.clone()} oninput={keep(VolumeField::Path)}
                                    aria-invalid={relative_path.then_some("true")} aria-describedby={relative_path.then_some("volume-path-error")} />
                                if relative_path {
                                    <span class="field-error" id="volume-path-error">{ path_error.clone().unwrap_or_default() }</span>
                                }
                            </label>
                        </div>
                        <button type="button" class="attach" onclick={on_attach}>{ "Attach the volume" }</button>
                        if let Some((ok, said)) = &this.attach_note {
                            <p class={classes!("sandbox-message", ok.then_some("ok"))} role="status">{ said }</p>
                        }
                        <p class="panel-lead">{ "Everything else (health checks, ulimits, links...): edit it in the JSON; the findings follow." }</p>
                    </fieldset>
                </form>
            }
        }
    };

    html! {
        <main class="editor-page" id="main" tabindex="-1" aria-labelledby="notes-heading">
            <h1 id="notes-heading" tabindex="-1">{ "Task definition editor" }</h1>
            <p class="panel-lead">{ "Edit with the form or the JSON: each follows the other, and the verdict is the one AWS would give." }</p>
            { summary }
            <div class="editor-columns">
                <section class="editor-form-column" aria-label="Form">{ form }</section>
                <section class="editor-json-column" aria-label="JSON">
                    <label for="editor-text">{ "RegisterTaskDefinition JSON (or describe-task-definition output)" }</label>
                    <textarea id="editor-text" class="checker-text editor-text" spellcheck="false" wrap="off" rows="28" value={text.clone()} oninput={on_text} />
                    <div class="checker-actions">
                        <button type="button" class="register" onclick={on_register} disabled={definition.is_none()}>{ "Register a revision" }</button>
                        <button type="button" class="export" onclick={on_export} disabled={definition.is_none()}>{ "Export for register-task-definition --cli-input-json" }</button>
                        <label class="import">{ "Import a file " }<input type="file" accept=".json,application/json" onchange={on_file} /></label>
                    </div>
                    if let Some((ok, message)) = message {
                        <p class={classes!("sandbox-message", ok.then_some("ok"))} role="status">{ message }</p>
                    }
                    if let Some(kept) = &this.kept {
                        <p class="kept-definition">
                            { format!("Kept from before an import: {}. ", kept_in_words(kept)) }
                            <button type="button" class="swap-kept" onclick={send.reform(|_: MouseEvent| Action::SwapKept)}>{ "Swap it back" }</button>
                            { " " }
                            <button type="button" class="let-kept-go" onclick={send.reform(|_: MouseEvent| Action::LetKeptGo)}>{ "Let it go" }</button>
                        </p>
                    }
                    if !revisions.is_empty() {
                        <p class="revisions">{ "Registered: " }{ revisions.join(", ") }</p>
                    }
                    <h2>{ "Every finding" }</h2>
                    <ul class="findings">{ for findings.iter().map(finding_item) }</ul>
                </section>
            </div>
        </main>
    }
}

/// A chosen file's text if it can take the editor's place: text (no NUL
/// bytes, no undecodable ones), not empty, and JSON. Otherwise why not, and
/// the learner's definition stays.
fn importable(name: &str, text: String) -> Result<String, String> {
    let unchanged = "Your definition is unchanged.";
    if text.contains('\0') || text.contains('\u{FFFD}') {
        return Err(format!(
            "Not imported: {name} is not a text file (it holds bytes that are not UTF-8 text). {unchanged}"
        ));
    }
    if text.trim().is_empty() {
        return Err(format!("Not imported: {name} is empty. {unchanged}"));
    }
    match taskdef::check(&text) {
        Err(error) => Err(format!(
            "Not imported: {name} is not JSON (line {}, column {}: {}). {unchanged}",
            error.line, error.column, error.message
        )),
        Ok(_) => Ok(text),
    }
}

/// The kept definition as a learner would recognise it: its family, or
/// its size when it does not read.
fn kept_in_words(text: &str) -> String {
    match taskdef::check(text).ok().and_then(|i| i.definition) {
        Some(definition) if !definition.family.trim().is_empty() => {
            format!(
                "the definition of family \u{201c}{}\u{201d}",
                definition.family
            )
        }
        Some(_) => "a definition with no family".to_string(),
        None => format!(
            "{} characters of JSON that does not read",
            text.chars().count()
        ),
    }
}

/// A message for the learner: `ok` for news, otherwise a refusal.
fn note(ok: bool, text: impl Into<String>) -> Option<(bool, String)> {
    Some((ok, text.into()))
}

fn set_target(definition: &mut TaskDefinition, target: &str, on: bool) {
    let mut targets = definition
        .requires_compatibilities
        .clone()
        .unwrap_or_default();
    targets.retain(|t| t != target);
    if on {
        targets.push(target.to_string());
    }
    definition.requires_compatibilities = (!targets.is_empty()).then_some(targets);
}

fn set_size(definition: &mut TaskDefinition, value: &str) {
    if let Some((cpu, memory)) = value.split_once('/') {
        set_opt(&mut definition.cpu, cpu);
        set_opt(&mut definition.memory, memory);
    }
}

fn container_fields(
    index: usize,
    c: &taskdef::ContainerDefinition,
    findings: &[Finding],
    typed: &Typed,
    edit: &impl Fn(String, Edit) -> Callback<String>,
) -> Html {
    let apply_to =
        |field: &str, apply: fn(&mut taskdef::ContainerDefinition, &str) -> Result<(), String>| {
            edit(
                format!("c{index}-{field}"),
                checked(move |d, v| match d.container_definitions.get_mut(index) {
                    Some(container) => apply(container, v),
                    None => Ok(()),
                }),
            )
        };
    // Lists and menus apply when they change; a line half typed is not
    // a value yet.
    let at = |field: &str, apply: fn(&mut taskdef::ContainerDefinition, &str)| -> Callback<Event> {
        let edit = edit(
            format!("c{index}-{field}"),
            change(move |d, v| {
                if let Some(container) = d.container_definitions.get_mut(index) {
                    apply(container, v);
                }
            }),
        );
        Callback::from(move |e: Event| edit.emit(super::event_value(&e)))
    };
    // Single values apply as they are typed.
    let typing = |field: &str,
                  apply: fn(&mut taskdef::ContainerDefinition, &str) -> Result<(), String>|
     -> Callback<InputEvent> {
        let edit = apply_to(field, apply);
        Callback::from(move |e: InputEvent| edit.emit(super::event_value(&e)))
    };
    let number = |value: Option<i64>| value.map(|v| v.to_string()).unwrap_or_default();
    let path = format!("containerDefinitions[{index}]");
    let port = c
        .port_mappings
        .as_ref()
        .and_then(|p| p.first())
        .and_then(|p| p.container_port)
        .map(|p| p.to_string())
        .unwrap_or_default();
    html! {
        <fieldset class="container-fields">
            <legend>{ format!("Container {}: {}", index + 1, c.name) }</legend>
            <div class="fields">
                { text_field("Name", format!("c{index}-name"), c.name.clone(), typed, typing("name", |c, v| { c.name = v.to_string(); Ok(()) })) }
                { text_field("Image", format!("c{index}-image"), c.image.clone(), typed, typing("image", |c, v| { c.image = v.to_string(); Ok(()) })) }
                { text_field("CPU units", format!("c{index}-cpu"), number(c.cpu), typed, typing("cpu", |c, v| set_number(&mut c.cpu, v))) }
                { text_field("Memory, hard limit (MiB)", format!("c{index}-memory"), number(c.memory), typed, typing("memory", |c, v| set_number(&mut c.memory, v))) }
                { text_field("Memory reservation, soft (MiB)", format!("c{index}-reservation"), number(c.memory_reservation), typed, typing("reservation", |c, v| set_number(&mut c.memory_reservation, v))) }
                { text_field("Container port", format!("c{index}-port"), port, typed, typing("port", set_port)) }
                <label class="check"><input type="checkbox" name={format!("c{index}-essential")} checked={c.essential != Some(false)} onchange={at("essential", |c, v| c.essential = Some(v == "true"))} />{ "Essential" }</label>
            </div>
            <div class="fields">
                <label>{ "Environment (NAME=value, one per line)" }<textarea name={format!("c{index}-environment")} rows="3" value={lines::environment_lines(c)} onchange={at("environment", lines::set_environment)} /></label>
                <label>{ "Secrets (NAME=ARN of the secret or parameter)" }<textarea name={format!("c{index}-secrets")} rows="3" value={lines::secret_lines(c)} onchange={at("secrets", lines::set_secrets)} /></label>
                <label>{ "Depends on (container CONDITION: START, COMPLETE, SUCCESS, HEALTHY)" }<textarea name={format!("c{index}-depends")} rows="2" value={lines::dependency_lines(c)} onchange={at("depends", lines::set_dependencies)} /></label>
                <label>{ "Log driver" }
                    <select name={format!("c{index}-log-driver")} onchange={at("log-driver", lines::set_log_driver)}>
                        { for log_driver_choices(c).into_iter().map(|d| html! {
                            <option value={d.clone()} selected={c.log_configuration.as_ref().map_or("", |l| l.log_driver.as_str()) == d}>{ if d.is_empty() { "(none)".to_string() } else { d } }</option>
                        }) }
                    </select>
                </label>
                if c.log_configuration.is_some() {
                    <label>{ "Log options (key=value, one per line)" }<textarea name={format!("c{index}-log-options")} rows="3" value={lines::log_option_lines(c)} onchange={at("log-options", lines::set_log_options)} /></label>
                }
            </div>
            { beside(findings, &[path.as_str()]) }
        </fieldset>
    }
}

fn set_port(c: &mut taskdef::ContainerDefinition, value: &str) -> Result<(), String> {
    let port = lines::whole_number(value)?;
    let mut mappings = c.port_mappings.clone().unwrap_or_default();
    match (port, mappings.first_mut()) {
        (Some(port), Some(first)) => first.container_port = Some(port),
        (Some(port), None) => mappings.push(taskdef::PortMapping {
            container_port: Some(port),
            ..Default::default()
        }),
        (None, _) => {
            if !mappings.is_empty() {
                mappings.remove(0);
            }
        }
    }
    c.port_mappings = (!mappings.is_empty()).then_some(mappings);
    Ok(())
}

/// The log drivers the form offers, and the container's own when it is
/// another (gelf, syslog...), so that the select shows it rather than
/// silently reading as "(none)".
fn log_driver_choices(c: &taskdef::ContainerDefinition) -> Vec<String> {
    let mut choices: Vec<String> = [
        "",
        "awslogs",
        "awsfirelens",
        "json-file",
        "splunk",
        "fluentd",
    ]
    .map(String::from)
    .to_vec();
    if let Some(log) = &c.log_configuration {
        if !choices.contains(&log.log_driver) {
            choices.push(log.log_driver.clone());
        }
    }
    choices
}
