//! The lesson builder, inside the sandbox: an instructor sets the start
//! (the scenario cut after its set-up), does the solution with the
//! terminal, forms and command box, picks the goal from what the world then
//! shows, does a wrong answer, writes the words, and exports the lesson
//! once it passes the check the shipped lessons pass
//! (`dockyard_course::builder` decides all of it; this module keeps the
//! draft beside the session and draws the panel).
//!
//! While the builder is open the sandbox plays the draft's start, and the
//! learner's own saved work on the scenario is left untouched: the draft is
//! what is kept (`Key::Builder`).

use dockyard_course::builder::{broken_offers, describe_broken, examples, suggest, Draft};
use dockyard_course::lessons::Condition;
use dockyard_course::session::{base, Session};
use dockyard_course::storage::{Key, Load};
use serde_json::Value;
use yew::prelude::*;

use super::{Action, SandboxState};
use crate::storage;

/// The builder's state beside the sandbox's session.
pub(super) struct Building {
    pub(super) draft: Draft,
    /// The conditions offered when the solution was taken, from the world
    /// it left.
    offered: Vec<Value>,
    /// The failures the start shows by `checkAt` with nothing done, for a
    /// troubleshooting lesson (recomputed when the start or time changes).
    broken_offers: Vec<Value>,
    /// The check's verdict on the draft as it is (`None`: changed since).
    checked: Option<Result<(), Vec<String>>>,
    /// What the last action did, or why it did not.
    message: Option<(bool, String)>,
    /// Whether that was an export's (drawn beside the export buttons,
    /// where the instructor is looking, instead of at the panel's top).
    message_at_export: bool,
    /// A condition being written by hand.
    writing: String,
    /// Whether the box for it is open (an Edit opens it).
    editing: bool,
    /// A link that loads the lesson as a pack of one.
    link: Option<String>,
}

/// The draft's words and numbers, as the form edits them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Id,
    Chapter,
    Title,
    Brief,
    CheckAt,
    Hints,
    WrongWhy,
}

pub(super) enum BuildMsg {
    /// Opens the builder on this scenario: the kept draft if it is this
    /// scenario's, else a new one.
    Open,
    Close,
    /// The start: the scenario's first so many steps.
    Start(usize),
    Text(Field, String),
    /// What was done since the start becomes the solution (or the wrong
    /// answer); the clock's time becomes when the goal is judged.
    TakeSolution,
    TakeWrong,
    /// Back to the start, to do an answer.
    Again,
    /// The solution (or the wrong answer) played again, to look at.
    Show(bool),
    /// An offered condition in or out of the goal.
    Toggle(usize),
    Remove(usize),
    /// A goal condition back into the text box, to change it.
    Edit(usize),
    /// The start's failure a troubleshooting lesson names (an offer's
    /// index), or none.
    Broken(Option<usize>),
    Writing(String),
    AddWritten,
    Check,
    Download,
    Link,
}

/// A session at the draft's start, with `steps` done.
fn session_of(draft: &Draft, steps: &[Value]) -> Session {
    Session {
        keep_steps: Some(draft.keep_steps),
        steps: Draft::steps(steps),
        ..Session::new(&draft.scenario)
    }
}

/// The kept draft, if it is one of `slug`'s.
fn kept_draft(slug: &str) -> Option<Draft> {
    match storage::load(Key::Builder, |text| {
        dockyard_model::json::parse_value(text)
            .map_err(|e| e.to_string())
            .and_then(|value| Draft::from_value(&value))
    }) {
        Load::Found(draft) if draft.scenario == slug => Some(draft),
        _ => None,
    }
}

/// `?build` or `?build=LESSON` in the address: open the builder (on a
/// shipped lesson's draft, to edit it).
pub(super) fn asked(slug: &str) -> Option<Result<Draft, String>> {
    let value = crate::route::query("build")?;
    Some(match value.as_str() {
        "" => Ok(kept_draft(slug).unwrap_or_else(|| Draft::new(slug))),
        id => Draft::of_lesson(id).and_then(|draft| {
            if draft.scenario == slug {
                Ok(draft)
            } else {
                Err(format!("lesson {id} starts from {}", draft.scenario))
            }
        }),
    })
}

impl SandboxState {
    /// Opens the builder on `draft`, the sandbox at its start.
    pub(super) fn open_builder(&mut self, draft: Draft) {
        self.playing = false;
        self.player.replace(session_of(&draft, &draft.solution));
        self.player.seek(draft.check_at * 1000);
        self.building = Some(Building {
            offered: suggest(self.player.world()),
            broken_offers: broken_offers(&draft),
            draft,
            checked: None,
            message: None,
            message_at_export: false,
            writing: String::new(),
            editing: false,
            link: None,
        });
    }

    pub(super) fn build(&mut self, msg: BuildMsg) {
        if let BuildMsg::Open = msg {
            let slug = self.player.session().scenario.clone();
            self.open_builder(kept_draft(&slug).unwrap_or_else(|| Draft::new(&slug)));
            return;
        }
        if let BuildMsg::Close = msg {
            let slug = self.player.session().scenario.clone();
            self.building = None;
            self.player.replace(super::saved::restore(&slug).0);
            // The address no longer asks for the builder: a reload shows
            // the sandbox as it now is.
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let here = crate::route::href(&format!("sandbox/{slug}/"));
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&here));
            }
            return;
        }
        let Some(building) = self.building.as_mut() else {
            return;
        };
        building.link = None;
        let export = matches!(msg, BuildMsg::Download | BuildMsg::Link);
        // An edit makes the last check stale.
        if matches!(
            msg,
            BuildMsg::Start(_)
                | BuildMsg::Text(..)
                | BuildMsg::TakeSolution
                | BuildMsg::TakeWrong
                | BuildMsg::Toggle(_)
                | BuildMsg::Remove(_)
                | BuildMsg::Edit(_)
                | BuildMsg::Broken(_)
                | BuildMsg::AddWritten
        ) {
            building.checked = None;
        }
        let mut said: Option<(bool, String)> = None;
        let draft = &mut building.draft;
        match msg {
            BuildMsg::Open | BuildMsg::Close => {}
            BuildMsg::Start(keep) => {
                draft.keep_steps = keep;
                draft.solution.clear();
                draft.wrong.clear();
                self.player.replace(session_of(draft, &[]));
                said = Some((
                    true,
                    format!("The start is the scenario's first {keep} steps. Do the solution now."),
                ));
            }
            BuildMsg::Text(field, text) => match field {
                Field::Id => draft.id = text.trim().to_string(),
                Field::Chapter => draft.chapter = text,
                Field::Title => draft.title = text,
                Field::Brief => draft.brief = text,
                Field::CheckAt => match text.trim().parse() {
                    Ok(at) => draft.check_at = at,
                    Err(_) => {
                        said = Some((
                            false,
                            format!(
                                "When the goal is judged is a number of seconds, not {text:?}."
                            ),
                        ))
                    }
                },
                Field::Hints => {
                    draft.hints = text
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_string)
                        .collect()
                }
                Field::WrongWhy => draft.wrong_why = text,
            },
            BuildMsg::TakeSolution | BuildMsg::TakeWrong => {
                let steps = Draft::record(&self.player.session().steps);
                let now = self.player.now() / 1000;
                if steps.is_empty() {
                    said = Some((false, "Nothing was done since the start: do the answer first (terminal, forms or command box).".into()));
                } else if let BuildMsg::TakeSolution = msg {
                    if now > 0 {
                        draft.check_at = now;
                    }
                    draft.solution = steps;
                    building.offered = suggest(self.player.world());
                    building.message = Some((true, format!(
                        "The solution is your {} command{}; the goal is judged at {} s. Pick the goal's conditions from what is true now.",
                        draft.solution.len(),
                        if draft.solution.len() == 1 { "" } else { "s" },
                        draft.check_at
                    )));
                } else {
                    draft.wrong = steps;
                    said = Some((
                        true,
                        format!(
                            "The wrong answer is your {} command{}: say why it is wrong.",
                            draft.wrong.len(),
                            if draft.wrong.len() == 1 { "" } else { "s" }
                        ),
                    ));
                }
            }
            BuildMsg::Again => {
                self.playing = false;
                self.player.replace(session_of(draft, &[]));
                said = Some((true, "Back at the start, with nothing done.".into()));
            }
            BuildMsg::Show(solution) => {
                let steps = if solution {
                    &draft.solution
                } else {
                    &draft.wrong
                };
                self.player.replace(session_of(draft, steps));
                self.player.seek(draft.check_at * 1000);
                said = Some((
                    true,
                    format!(
                        "The {} played to {} s.",
                        if solution { "solution" } else { "wrong answer" },
                        draft.check_at
                    ),
                ));
            }
            BuildMsg::Toggle(index) => {
                if let Some(condition) = building.offered.get(index) {
                    match draft.goal.iter().position(|c| c == condition) {
                        Some(at) => {
                            draft.goal.remove(at);
                        }
                        None => draft.goal.push(condition.clone()),
                    }
                }
            }
            BuildMsg::Remove(index) => {
                if index < draft.goal.len() {
                    draft.goal.remove(index);
                }
            }
            BuildMsg::Broken(index) => {
                draft.broken = index.and_then(|i| building.broken_offers.get(i).cloned());
            }
            BuildMsg::Edit(index) => {
                if index < draft.goal.len() {
                    let condition = draft.goal.remove(index);
                    building.writing = condition.to_string();
                    building.editing = true;
                    said = Some((
                        true,
                        "The condition is in the box below: change it, then add it again.".into(),
                    ));
                }
            }
            BuildMsg::Writing(text) => {
                building.writing = text;
                return;
            }
            BuildMsg::AddWritten => {
                let read = dockyard_model::json::parse_value(&building.writing)
                    .map_err(|e| e.to_string())
                    .and_then(|value| Condition::read(&value).map(|_| value));
                match read {
                    Ok(value) => {
                        draft.goal.push(value);
                        building.writing.clear();
                        building.editing = false;
                        building.message = Some((true, "Condition added to the goal.".into()));
                    }
                    Err(why) => building.message = Some((false, format!("Not added: {why}"))),
                }
            }
            BuildMsg::Check => {
                building.checked = Some(draft.check().map(|_| ()));
                building.message = None;
                self.save_draft();
                return;
            }
            BuildMsg::Download => match draft.check() {
                Ok(_) => {
                    let file = format!("{}.lesson.json", draft.id);
                    match super::download(&file, &draft.to_json()) {
                        Ok(()) => said = Some((true, format!("Downloaded {file}: put it in a pack's lessons, and check the pack with dockyard pack check."))),
                        Err(why) => said = Some((false, format!("The file could not be offered: {why}"))),
                    }
                }
                Err(problems) => {
                    building.checked = Some(Err(problems));
                    said = Some((
                        false,
                        "Not exported: the lesson does not pass its check yet (see above).".into(),
                    ));
                }
            },
            BuildMsg::Link => match draft.check() {
                Ok(_) => {
                    let origin = web_sys::window()
                        .and_then(|w| w.location().origin().ok())
                        .unwrap_or_default();
                    let data = String::from(js_sys::encode_uri_component(&draft.to_pack_json()));
                    let data = String::from(js_sys::encode_uri_component(&format!(
                        "data:application/json,{data}"
                    )));
                    building.link = Some(format!(
                        "{origin}{}?from={data}",
                        crate::route::href("packs/")
                    ));
                }
                Err(problems) => {
                    building.checked = Some(Err(problems));
                    said = Some((
                        false,
                        "No link: the lesson does not pass its check yet (see above).".into(),
                    ));
                }
            },
        }
        if said.is_some() {
            building.message = said;
        }
        // The start or the time it is judged at may have changed.
        building.broken_offers = broken_offers(&building.draft);
        building.message_at_export = export;
        self.save_draft();
    }

    fn save_draft(&mut self) {
        if let Some(building) = &mut self.building {
            if let Err(why) = storage::save(Key::Builder, &building.draft.to_json()) {
                building.message = Some((false, format!("The draft could not be kept ({why}): download it before you close the tab.")));
            }
        }
    }

    /// The builder's panel.
    pub(super) fn view_builder(&self, building: &Building, send: &Callback<Action>) -> Html {
        let draft = &building.draft;
        let build = |msg: fn() -> BuildMsg| send.reform(move |_: MouseEvent| Action::Build(msg()));
        let text = |field: Field| {
            send.reform(move |e: InputEvent| {
                Action::Build(BuildMsg::Text(field, super::super::event_value(&e)))
            })
        };
        let chosen = |field: Field| {
            send.reform(move |e: Event| {
                Action::Build(BuildMsg::Text(field, super::super::event_value(&e)))
            })
        };
        let shipped = dockyard_course::scenarios::scenario(&draft.scenario);
        let steps = shipped.map(|s| base(s).steps).unwrap_or_default();
        let world = self.player.world();
        let judged = draft.judge(world);
        html! {
            <section class="lesson-panel builder-panel" aria-labelledby="builder-title">
                <p class="part-name">{ "For instructors" }</p>
                <h2 id="builder-title">{ "Lesson builder" }</h2>
                <p>{ "Build a lesson by doing it. The sandbox beside plays the lesson's start; what you do there becomes its answers. Nothing here touches your own saved sandbox." }</p>
                if !building.message_at_export {
                    { message(building) }
                }

                <h3>{ "1. The start" }</h3>
                <label>{ "Keep the scenario's first " }
                    <select class="builder-start" onchange={send.reform(|e: Event| Action::Build(BuildMsg::Start(super::super::event_value(&e).parse().unwrap_or(0))))}>
                        { for (0..=steps.len()).map(|n| {
                            let last = n.checked_sub(1).and_then(|i| steps.get(i)).map(|s| {
                                let value = serde_json::to_value(s).unwrap_or_default();
                                format!(" (the last: {} at {} s)", value["do"].as_str().unwrap_or("?"), s.at)
                            }).unwrap_or_default();
                            html! { <option value={n.to_string()} selected={n == draft.keep_steps}>{ format!("{n} steps{last}") }</option> }
                        }) }
                    </select>
                </label>

                <p>{ "Does the start break? A troubleshooting lesson names the failure the learner is to trace (Why? in the event log), as the start shows it by the time the goal is judged:" }</p>
                <ul class="builder-broken">
                    <li><label><input type="radio" name="builder-broken" checked={draft.broken.is_none()}
                        onchange={send.reform(|_| Action::Build(BuildMsg::Broken(None)))} />{ " No: the start is not broken" }</label></li>
                    { for building.broken_offers.iter().enumerate().map(|(i, offer)| html! {
                        <li><label><input type="radio" name="builder-broken" checked={draft.broken.as_ref() == Some(offer)}
                            onchange={send.reform(move |_| Action::Build(BuildMsg::Broken(Some(i))))} />{ format!(" Yes: {}", describe_broken(offer)) }</label></li>
                    }) }
                    if let Some(kept) = draft.broken.as_ref().filter(|b| !building.broken_offers.contains(b)) {
                        <li>{ format!("As the lesson was written: {} (not seen at the time the goal is judged: the check will say)", describe_broken(kept)) }</li>
                    }
                </ul>

                <h3>{ "2. The solution" }</h3>
                <p>{ "Do it in the terminal, the forms or the command box, play the clock to when the goal should be judged, then take it." }</p>
                <p class="builder-recorded">{ recorded("Solution", &draft.solution, draft.check_at) }</p>
                <div class="lesson-actions">
                    <button type="button" class="take-solution" onclick={build(|| BuildMsg::TakeSolution)}>{ "Take what I did as the solution" }</button>
                    <button type="button" class="builder-again" onclick={build(|| BuildMsg::Again)}>{ "Back to the start" }</button>
                    if !draft.solution.is_empty() {
                        <button type="button" class="show-solution-steps" onclick={build(|| BuildMsg::Show(true))}>{ "Play the solution" }</button>
                    }
                </div>
                <label>{ "Judged at (seconds) " }
                    <input type="number" min="0" max="86400" class="builder-check-at" value={draft.check_at.to_string()} onchange={chosen(Field::CheckAt)} />
                </label>

                <h3>{ "3. The goal" }</h3>
                <p>{ "True when the solution was taken (tick the ones the lesson is about):" }</p>
                <ul class="builder-offered">
                    { for building.offered.iter().enumerate().map(|(i, c)| {
                        let words = Condition::read(c).map(|c| c.describe()).unwrap_or_default();
                        let picked = draft.goal.contains(c);
                        html! { <li><label><input type="checkbox" checked={picked}
                            onchange={send.reform(move |_| Action::Build(BuildMsg::Toggle(i)))} />{ format!(" {words}") }</label></li> }
                    }) }
                </ul>
                <p>{ "The goal, judged on the sandbox as it is now:" }</p>
                <ul class="goal builder-goal">
                    { for draft.goal.iter().zip(&judged).enumerate().map(|(i, (_, j))| match j {
                        Ok(j) => html! { <li class={if j.met { "condition met" } else { "condition unmet" }}>
                            <span class="verdict-mark">{ if j.met { "Met" } else { "Not yet" } }</span>{ " " }{ j.words.clone() }
                            { " " }<button type="button" class="edit-condition" onclick={send.reform(move |_| Action::Build(BuildMsg::Edit(i)))}>{ "Edit" }</button>
                            { " " }<button type="button" class="remove-condition" onclick={send.reform(move |_| Action::Build(BuildMsg::Remove(i)))}>{ "Remove" }</button></li> },
                        Err(why) => html! { <li class="condition unmet">{ why.clone() }</li> },
                    }) }
                </ul>
                <details class="builder-write" open={building.editing}>
                    <summary>{ "Write a condition (any kind)" }</summary>
                    <p>{ "As a lesson file writes it. Each kind, as a shipped lesson writes it:" }</p>
                    <ul class="builder-examples">{ for examples().iter().map(|e| html! { <li><code>{ e.to_string() }</code></li> }) }</ul>
                    <textarea rows="3" aria-label="A condition, as JSON" value={building.writing.clone()}
                        oninput={send.reform(|e: InputEvent| Action::Build(BuildMsg::Writing(super::super::event_value(&e))))} />
                    <button type="button" class="add-condition" onclick={build(|| BuildMsg::AddWritten)}>{ "Add to the goal" }</button>
                </details>

                <h3>{ "4. A plausible wrong answer" }</h3>
                <p>{ "Back to the start, do what a learner might wrongly do, then take it." }</p>
                <p class="builder-recorded">{ recorded("Wrong answer", &draft.wrong, draft.check_at) }</p>
                <div class="lesson-actions">
                    <button type="button" class="take-wrong" onclick={build(|| BuildMsg::TakeWrong)}>{ "Take what I did as the wrong answer" }</button>
                    if !draft.wrong.is_empty() {
                        <button type="button" onclick={build(|| BuildMsg::Show(false))}>{ "Play the wrong answer" }</button>
                    }
                </div>
                <label class="builder-field">{ "Why it is wrong " }<input type="text" class="builder-wrong-why" value={draft.wrong_why.clone()} oninput={text(Field::WrongWhy)} /></label>

                <h3>{ "5. The words" }</h3>
                <label class="builder-field">{ "Id " }<input type="text" class="builder-id" placeholder="three-tasks-on-fargate" value={draft.id.clone()} oninput={text(Field::Id)} /></label>
                <label class="builder-field">{ "Chapter " }
                    <select class="builder-chapter" onchange={chosen(Field::Chapter)}>
                        { for dockyard_course::CHAPTERS.iter().map(|c| html! { <option value={c.slug} selected={c.slug == draft.chapter}>{ c.title }</option> }) }
                    </select>
                </label>
                <label class="builder-field">{ "Title " }<input type="text" class="builder-title" value={draft.title.clone()} oninput={text(Field::Title)} /></label>
                <label class="builder-field">{ "What to do " }<textarea rows="3" class="builder-brief" value={draft.brief.clone()} oninput={text(Field::Brief)} /></label>
                <label class="builder-field">{ "Hints, one per line " }<textarea rows="3" class="builder-hints" value={draft.hints.join("\n")} onchange={chosen(Field::Hints)} /></label>

                <h3>{ "6. Check and export" }</h3>
                <p>{ "The check is the one every shipped lesson passes: the start does not meet the goal, the solution does, the wrong answer does not. A lesson that fails it is not exported." }</p>
                <div class="lesson-actions">
                    <button type="button" class="check-lesson" onclick={build(|| BuildMsg::Check)}>{ "Check the lesson" }</button>
                    <button type="button" class="download-lesson" onclick={build(|| BuildMsg::Download)}>{ "Download the lesson" }</button>
                    <button type="button" class="lesson-link" onclick={build(|| BuildMsg::Link)}>{ "Link to try it" }</button>
                    <button type="button" class="close-builder" onclick={build(|| BuildMsg::Close)}>{ "Close the builder" }</button>
                </div>
                { match &building.checked {
                    Some(Ok(())) => html! { <p class="sandbox-message ok builder-verdict" role="status">{ "The lesson teaches: it can be exported." }</p> },
                    Some(Err(problems)) => html! {
                        <div class="builder-verdict" role="status"><p class="sandbox-message">{ "Not yet a lesson:" }</p>
                            <ul class="builder-problems">{ for problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul></div>
                    },
                    None => html! {},
                } }
                if building.message_at_export {
                    { message(building) }
                }
                if let Some(link) = &building.link {
                    <label class="pack-link">{ "Link to the lesson (a pack of one) " }<input type="text" readonly=true value={link.clone()} /></label>
                }
            </section>
        }
    }
}

fn recorded(what: &str, steps: &[Value], check_at: u64) -> String {
    match steps.len() {
        0 => format!("{what}: not taken yet."),
        n => format!(
            "{what}: {n} command{} ({}), judged at {check_at} s.",
            if n == 1 { "" } else { "s" },
            steps
                .iter()
                .map(|s| format!("{} at {} s", s["do"].as_str().unwrap_or("?"), s["at"]))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn message(building: &Building) -> Html {
    match &building.message {
        Some((ok, text)) => html! {
            <p class={classes!("sandbox-message", ok.then_some("ok"), "builder-message")} role="status">{ text }</p>
        },
        None => html! {},
    }
}
