//! The sandbox page: a learner's session on a shipped scenario (or a
//! lesson's start), played on the model's simulated clock. The session
//! itself (replay, undo, redo, reset, seeking, the lesson's verdict) is the
//! course crate's `SessionPlayer`; this module keeps it behind
//! `use_reducer` with what only the page needs (the clock playing, the
//! selection, the forms), saves it when it changes (`sandbox/saved.rs`
//! holds every storage call) and lays out the page: the world drawn by
//! `world_view`, the forms and inspector in `sandbox/forms.rs`.

use dockyard_course::player::SessionPlayer;
use dockyard_course::scenarios::{ShippedScenario, SCENARIOS};
use dockyard_course::session::Session;
use dockyard_model::sim::{clock, scenario::Player, Command, TaskState, What};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::chapter_notes::ChapterNotes;
use super::clock::{use_clock, Tick};
use super::clock_controls::ClockControls;
use super::reducer::{Machine, Owned};
use super::terminal::{Entry, Request, SharedPort, Terminal};
use super::world_view::WorldView;
use super::LessonPanel;

mod builder;
mod files;
mod forms;
mod saved;
mod service_forms;
mod shell;
mod still_billing;

use builder::{BuildMsg, Building};
use forms::{FormMsg, Forms};

#[derive(Properties, PartialEq)]
pub struct SandboxProps {
    pub scenario: &'static ShippedScenario,
    /// A share link's session (its JSON, already checked by the router); it
    /// replaces the saved one. Text rather than a Session, so that comparing
    /// props compares strings instead of compiling a deep comparison of
    /// every command and task definition into the app.
    #[prop_or_default]
    pub shared: Option<AttrValue>,
    /// A lesson's id: the sandbox starts at the lesson's start (or where the
    /// learner left it) and shows the lesson beside the world.
    #[prop_or_default]
    pub lesson: Option<AttrValue>,
}

/// What the learner (or the clock) does to the sandbox.
enum Action {
    /// Wall time passed on the clock, or the tab hidden.
    Tick(Tick),
    TogglePlay,
    /// One simulated minute forward.
    Step,
    Speed(u32),
    /// Jump to a simulated time (seconds).
    Seek(u64),
    Select(Option<String>),
    /// A command of the learner's, at the current time, from a place on
    /// the page (where the answer is drawn).
    Do(Place, Box<Command>),
    /// Several, one after the other (a form that changes two things).
    DoAll(Place, Vec<Command>),
    /// An "Update service" form was submitted.
    UpdateFromForm(web_sys::Element),
    /// A form could not become a command: why, for the learner.
    Complain(Place, String),
    /// What the clipboard said to "Copy the link".
    Copied(Result<(), String>),
    Undo,
    Redo,
    /// Back to the scenario's start, without the learner's commands
    /// (which Redo brings back one by one).
    Reset,
    ShowLink,
    /// The share link's state becomes the learner's work on its scenario.
    KeepShared,
    /// The changes set aside by a share link or an import come back.
    BringBack,
    /// Or are let go.
    LetGoBefore,
    Export,
    /// The text of a chosen session file.
    Import(Result<String, String>),
    /// What the learner types into a form.
    Form(FormMsg),
    CreateRole,
    /// Runs the command box's text.
    RunCommandText,
    /// What the terminal asks: run what was typed (or pasted), complete.
    Terminal(Request),
    /// On a narrow screen, the lesson's tab or the live cluster's.
    Tab(Tab),
    /// Opens a learner's file in the editor (a new one if it does not
    /// exist), or closes the editor.
    EditFile(Option<String>),
    SaveFile(String, String),
    RemoveFile(String),
    /// The lesson builder (`sandbox/builder.rs`).
    Build(BuildMsg),
}

/// Where on the page the learner acted: an action's answer (what it did,
/// or why it was refused) is drawn there, where the learner is looking,
/// not at the top of a long page.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Place {
    /// Undo, redo, reset, share, export, import, and the session itself.
    Session,
    /// The zones and machines (Lose zone, and the like).
    World,
    /// The selected task or instance, in the inspector.
    Inspector,
    /// The services' buttons.
    Services,
    /// The create and update service forms.
    ServiceForms,
    /// Roles, task roles and container instances.
    Roles,
    /// The JSON command box.
    CommandBox,
    /// The learner's files.
    Files,
}

/// The answer to the learner's last action.
struct Answer {
    place: Place,
    text: String,
    /// Refused (said as an alert), or done (said politely).
    refused: bool,
}

/// The two halves of a lesson's page, which a narrow screen shows one at a time.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Lesson,
    Live,
}

impl Tab {
    fn name(self) -> &'static str {
        match self {
            Tab::Lesson => "lesson",
            Tab::Live => "live",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Tab::Lesson => "Lesson and notes",
            Tab::Live => "Live cluster",
        }
    }
}

/// The sandbox's state: the session player and what only the page keeps.
struct SandboxState {
    player: SessionPlayer,
    playing: bool,
    speed: u32,
    selected: Option<String>,
    /// What the learner should read after their last action, beside it:
    /// what a command did, what undo undid, a refused command, a bad file,
    /// a saved session that could not be read.
    answer: Option<Answer>,
    link: Option<String>,
    forms: Forms,
    /// Whether the lesson's goal was met at the last change, so that
    /// progress is written when it becomes met, not on every frame.
    lesson_met: bool,
    /// The terminal's transcript and the commands typed, shared with the
    /// terminal component without copying (it redraws when they change).
    terminal: SharedPort,
    /// The learner's file open in the editor.
    editing: Option<String>,
    tab: Tab,
    /// The player's revision and clock when the session was last saved.
    saved: (u64, u64),
    /// A share link's state, looked at and not saved until the learner
    /// keeps it: with how many changes the learner's own saved work of
    /// this scenario has (which keeping it would set aside).
    shared: Option<usize>,
    /// How many changes of the learner's were set aside when a share link
    /// or an imported file took their place: "Bring them back" restores them.
    before: Option<usize>,
    /// The lesson builder, when it is open: the sandbox then plays its
    /// draft's start, and the learner's own session is not saved over.
    building: Option<Building>,
}

impl SandboxState {
    fn new(props: &SandboxProps) -> SandboxState {
        let mut from_link = false;
        let (session, message) = match &props.shared {
            Some(shared) => match Session::parse(shared) {
                Ok(session) => {
                    from_link = true;
                    (session, None)
                }
                // The router checked it; kept safe all the same: the saved
                // work is not replaced by a link that cannot be read.
                Err(error) => (
                    Session::new(props.scenario.slug),
                    Some(format!("This share link cannot be opened: {error}")),
                ),
            },
            None => match &props.lesson {
                Some(id) => saved::restore_lesson(id),
                None => saved::restore(props.scenario.slug),
            },
        };
        let player = SessionPlayer::new(session);
        let mut sandbox = SandboxState {
            saved: (player.revision(), player.session().at),
            player,
            playing: false,
            speed: 60,
            selected: None,
            answer: message.map(|text| Answer {
                place: Place::Session,
                text,
                refused: true,
            }),
            link: None,
            forms: Forms::default(),
            lesson_met: false,
            terminal: SharedPort::default(),
            editing: None,
            tab: Tab::Lesson,
            // Someone else's state is looked at, not saved over the
            // learner's own until they say so.
            shared: from_link
                .then(|| saved::saved_work(props.scenario.slug).map_or(0, |mine| mine.steps.len())),
            before: saved::before_len(props.scenario.slug),
            building: None,
        };
        if props.lesson.is_none() && props.shared.is_none() {
            match builder::asked(props.scenario.slug) {
                Some(Ok(draft)) => sandbox.open_builder(draft),
                Some(Err(why)) => sandbox.refuse(
                    Place::Session,
                    format!("The lesson builder could not open that lesson: {why}."),
                ),
                None => {}
            }
        }
        sandbox.terminal.borrow_mut().history = sandbox.player.session().history.clone();
        sandbox.after_change();
        sandbox
    }

    /// Sets the learner's saved work of `slug` aside before something else
    /// takes its place; `false` (and why, said) if it could not be.
    fn set_aside_work_of(&mut self, slug: &str, incoming: &Session) -> bool {
        let Some(mine) =
            saved::saved_work(slug).filter(|mine| !mine.steps.is_empty() && mine != incoming)
        else {
            return true;
        };
        match saved::keep_before(&mine) {
            Ok(()) => {
                self.before = Some(mine.steps.len());
                true
            }
            Err(error) => {
                self.refuse(Place::Session, format!(
                    "Your saved changes to this scenario could not be set aside ({error}), so nothing replaced them: export them first."
                ));
                false
            }
        }
    }

    /// Applies a learner's command (a button's or a form's), or says why it
    /// was not; once applied, the terminal shows the commands it stands
    /// for, as the console's "view CLI command" does.
    fn command(&mut self, place: Place, command: Command) -> bool {
        let typed = dockyard_terminal::cli_for(&command, self.player.world());
        let events_before = self.player.player().events.len();
        let definitions_before: Vec<String> = self
            .player
            .world()
            .task_definitions()
            .map(|(revision, _)| revision.to_string())
            .collect();
        if let Err(error) = self.player.command(command) {
            self.refuse(place, error.to_string());
            return false;
        }
        let events = &self.player.player().events;
        let text = what_it_did(
            self.player.world(),
            &definitions_before,
            &events[events_before.min(events.len())..],
            typed.as_deref(),
        );
        self.tell(place, text);
        if let Some(lines) = typed {
            let last = lines.len().saturating_sub(1);
            let entries = lines.into_iter().enumerate().map(|(index, line)| {
                let mut output = dockyard_terminal::Output::default();
                if index == last {
                    output.notes.push(
                        "What that button did, as commands: typed here, they do the same."
                            .to_string(),
                    );
                }
                Entry {
                    command: line,
                    output,
                }
            });
            self.terminal.borrow_mut().record(entries.collect());
        }
        true
    }

    fn refuse(&mut self, place: Place, text: String) {
        self.answer = Some(Answer {
            place,
            text,
            refused: true,
        });
    }

    fn tell(&mut self, place: Place, text: String) {
        self.answer = Some(Answer {
            place,
            text,
            refused: false,
        });
    }

    /// The answer to the last action, if it was made here.
    fn view_answer(&self, place: Place) -> Html {
        match &self.answer {
            Some(answer) if answer.place == place && answer.refused => {
                html! { <p class="sandbox-message" role="alert">{ &answer.text }</p> }
            }
            Some(answer) if answer.place == place => {
                html! { <p class="sandbox-answer" role="status">{ &answer.text }</p> }
            }
            _ => html! {},
        }
    }

    /// After a change: records the lesson as done when its goal becomes
    /// met, and saves the session if it changed (the clock running on is
    /// saved when it stops, see `save_clock`).
    fn after_change(&mut self) {
        let met = self.player.goal_met();
        if met && !self.lesson_met {
            if let Some(lesson) = self.player.lesson() {
                super::mark_done(&lesson.id);
            }
        }
        self.lesson_met = met;
        if self.player.revision() != self.saved.0 {
            self.link = None;
            self.save_now();
        }
    }

    /// Saves the session if the clock has moved since the last save.
    fn save_clock(&mut self) {
        if self.player.session().at != self.saved.1 {
            self.save_now();
        }
    }

    fn save_now(&mut self) {
        self.saved = (self.player.revision(), self.player.session().at);
        // A shared state is not the learner's; the builder keeps its draft.
        if self.shared.is_some() || self.building.is_some() {
            return;
        }
        if let Err(message) = saved::save(self.player.session()) {
            self.refuse(Place::Session, message);
        }
    }

    fn stop(&mut self) {
        self.playing = false;
        self.save_clock();
    }
}

impl Machine for SandboxState {
    type Action = Action;

    fn update(&mut self, action: Action) -> bool {
        match action {
            Action::Tick(Tick::Elapsed(wall)) => {
                if !self.playing {
                    return false;
                }
                self.player.play_for(u64::from(self.speed) * wall);
                if self.player.at_end() {
                    self.stop();
                }
            }
            Action::Tick(Tick::Hidden) => {
                // The tab may be closed next: keep where the clock is.
                if self.playing {
                    self.save_clock();
                }
                return false;
            }
            Action::TogglePlay => {
                if self.playing {
                    self.stop();
                } else {
                    self.playing = true;
                    if self.player.at_end() {
                        self.player.seek(0);
                    }
                }
            }
            Action::Step => self.player.seek((self.player.now() / 60_000 + 1) * 60_000),
            Action::Speed(speed) => self.speed = speed,
            Action::Seek(seconds) => self.player.seek(seconds * 1000),
            Action::Select(id) => self.selected = id,
            Action::Form(msg) => {
                self.forms.update(msg);
                return true;
            }
            Action::RunCommandText => match self.forms.typed_command() {
                Ok(command) => {
                    self.command(Place::CommandBox, command);
                }
                Err(message) => self.refuse(Place::CommandBox, message),
            },
            Action::CreateRole => match self.forms.role_command() {
                Ok(command) => {
                    self.command(Place::Roles, command);
                }
                Err(message) => self.refuse(Place::Roles, message),
            },
            Action::Do(place, command) => {
                self.command(place, *command);
            }
            Action::DoAll(place, commands) => {
                let mut said = Vec::new();
                for command in commands {
                    if !self.command(place, command) {
                        said.clear();
                        break;
                    }
                    said.extend(self.answer.take().map(|answer| answer.text));
                }
                if !said.is_empty() {
                    self.tell(place, said.join(" "));
                }
            }
            Action::UpdateFromForm(form) => {
                let action = self.update_from_form(&form);
                return self.update(action);
            }
            Action::Complain(place, message) => self.refuse(place, message),
            Action::Copied(Ok(())) => self.tell(
                Place::Session,
                "The link is on your clipboard: anyone who opens it sees this state, and their changes stay theirs.".to_string(),
            ),
            Action::Copied(Err(why)) => self.refuse(
                Place::Session,
                format!("The browser did not let Dockyard copy the link ({why}): select it in the box and copy it yourself."),
            ),
            Action::Tab(tab) => {
                self.tab = tab;
                return true;
            }
            Action::Build(msg) => self.build(msg),
            Action::EditFile(path) => {
                self.answer = None;
                if let Some(path) = &path {
                    if !self.player.session().files.contains_key(path) {
                        if let Err(why) = self.player.write_file(path, String::new()) {
                            self.refuse(Place::Files, format!("No file was made: {why}"));
                            return true;
                        }
                    }
                }
                self.editing = path;
            }
            Action::SaveFile(path, text) => match self.player.write_file(&path, text) {
                Ok(()) => self.forms.file_saved(&path),
                // The draft stays in the editor: nothing typed is lost.
                Err(why) => self.refuse(Place::Files, format!("The file was not saved: {why}")),
            },
            Action::RemoveFile(path) => {
                self.player.remove_file(&path);
                if self.editing.as_deref() == Some(path.as_str()) {
                    self.editing = None;
                }
            }
            Action::Terminal(Request::Complete(line)) => {
                self.terminal.borrow_mut().completion = shell::complete(&self.player, &line);
                return false;
            }
            Action::Terminal(Request::Run(text)) => {
                let before = (
                    self.player.revision(),
                    self.player.now(),
                    self.editing.clone(),
                );
                let had_message = self.answer.take().is_some();
                let ran = shell::run(&mut self.player, &text);
                if let Some(path) = ran.iter().rev().find_map(|entry| entry.output.edit.clone()) {
                    self.editing = Some(path);
                }
                let mut port = self.terminal.borrow_mut();
                port.record(ran);
                // The session keeps the history, saved with the work.
                if port.history != self.player.session().history {
                    port.history = self.player.session().history.clone();
                    drop(port);
                    self.save_now();
                }
                let after = (
                    self.player.revision(),
                    self.player.now(),
                    self.editing.clone(),
                );
                // A command that only read: the terminal redraws itself.
                if before == after && !had_message {
                    return false;
                }
            }
            Action::Undo => {
                let step = self.player.session().steps.len();
                let what = self
                    .player
                    .session()
                    .steps
                    .last()
                    .map(|last| in_words(&last.command, self.player.world()));
                if let (Some(what), true) = (what, self.player.undo()) {
                    self.tell(
                        Place::Session,
                        format!("Undid change {step}: {what}. The world is replayed without it; Redo brings it back."),
                    );
                }
            }
            Action::Redo => {
                if self.player.redo() {
                    let step = self.player.session().steps.len();
                    if let Some(last) = self.player.session().steps.last() {
                        let what = in_words(&last.command, self.player.world());
                        self.tell(Place::Session, format!("Redid change {step}: {what}."));
                    }
                }
            }
            Action::Reset => {
                self.playing = false;
                let undone = self.player.session().steps.len();
                self.player.reset();
                self.tell(
                    Place::Session,
                    match undone {
                        0 => "Back at the scenario's start.".to_string(),
                        1 => "Back at the scenario's start, without your 1 change: Redo brings it back.".to_string(),
                        n => format!("Back at the scenario's start, without your {n} changes: Redo brings them back one at a time."),
                    },
                );
            }
            Action::ShowLink => {
                // At the site's root, in the hash: the session never
                // reaches a server's logs.
                let origin = web_sys::window()
                    .and_then(|w| w.location().origin().ok())
                    .unwrap_or_default();
                self.link = Some(format!(
                    "{origin}{}#/share/{}",
                    crate::route::root_path(),
                    self.player.session().to_link()
                ));
            }
            Action::Export => {
                let session = self.player.session();
                if let Err(error) = download(
                    &format!("{}.session.json", session.scenario),
                    &session.to_json(),
                ) {
                    self.refuse(
                        Place::Session,
                        format!("The file could not be offered for download: {error}"),
                    );
                }
            }
            Action::KeepShared => {
                let session = self.player.session().clone();
                if session.lesson.is_none() && !self.set_aside_work_of(&session.scenario, &session)
                {
                    return true;
                }
                self.shared = None;
                self.save_now();
            }
            Action::BringBack => {
                let slug = self.player.session().scenario.clone();
                if let Some(session) = saved::take_before(&slug) {
                    self.player.replace(session);
                    self.terminal.borrow_mut().history = self.player.session().history.clone();
                    self.editing = None;
                    self.shared = None;
                    self.before = None;
                    self.tell(Place::Session, "Your earlier changes are back.".to_string());
                    self.save_now();
                }
            }
            Action::LetGoBefore => {
                saved::let_go_before(&self.player.session().scenario);
                self.before = None;
            }
            Action::Import(text) => match text.and_then(|text| Session::parse(&text)) {
                Ok(session) => {
                    self.answer = None;
                    // What the file replaces is set aside first, and can
                    // be brought back (a lesson's work is its own, kept).
                    if session.lesson.is_none()
                        && !self.set_aside_work_of(&session.scenario.clone(), &session)
                    {
                        return true;
                    }
                    self.shared = None;
                    let current = self.player.session();
                    // Another lesson's work, or another scenario's: keep it
                    // there and go there.
                    let elsewhere = if session.lesson != current.lesson && session.lesson.is_some()
                    {
                        session
                            .lesson
                            .as_ref()
                            .map(|id| crate::route::lesson_href(id))
                    } else if session.scenario != current.scenario
                        || session.lesson != current.lesson
                    {
                        Some(crate::route::href(&format!(
                            "sandbox/{}/",
                            session.scenario
                        )))
                    } else {
                        None
                    };
                    self.player.replace(session);
                    // The imported work brings its own files and history.
                    self.terminal.borrow_mut().history = self.player.session().history.clone();
                    self.editing = None;
                    if let Some(address) = elsewhere {
                        self.save_now();
                        crate::route::navigate(&address);
                        return true;
                    }
                }
                Err(error) => {
                    self.refuse(
                        Place::Session,
                        format!("That file is not a sandbox session, so nothing changed: {error}"),
                    );
                }
            },
        }
        self.after_change();
        true
    }
}

/// The sandbox page. The app keys it by scenario, lesson or share link, so
/// that another one is made afresh (the page it replaces keeps where its
/// clock was when it goes).
#[function_component(Sandbox)]
pub fn sandbox(props: &SandboxProps) -> Html {
    let state = use_reducer(|| Owned::new(SandboxState::new(props)));
    let send = state.dispatcher().to_callback();
    // Made once, so that unchanged boxes compare equal and are skipped.
    let world_callbacks = {
        let send = send.clone();
        use_memo((), move |_| {
            (
                send.reform(Action::Select),
                send.reform(|command| Action::Do(Place::World, Box::new(command))),
            )
        })
    };
    {
        // Leaving the page while the clock runs keeps where it was.
        let state = state.clone();
        use_effect_with((), move |_| {
            move || state.with_mut(SandboxState::save_clock)
        });
    }
    let this = state.get();
    use_clock(this.playing, send.reform(Action::Tick));
    let (on_select, on_do) = &*world_callbacks;
    let current = props.scenario.slug;
    let world = WorldView {
        player: this.player.player(),
        until: this.player.scenario().until,
        selected: this.selected.as_deref(),
        on_select,
        on_do: Some(on_do),
    };
    let live = html! {
        <>
            <ClockControls playing={this.playing} speed={this.speed} at={this.player.now()} until={this.player.until()}
                on_toggle={send.reform(|_| Action::TogglePlay)} on_step={send.reform(|_| Action::Step)}
                on_speed={send.reform(Action::Speed)} on_seek={send.reform(Action::Seek)}>
                <output class="bill">{ format!("${:.4}", this.player.world().cost()) }</output>
            </ClockControls>
            { still_billing::view(this.player.world(), this.player.lesson().is_some() && this.player.goal_met()) }
            if let Some(mine) = this.shared {
                <div class="notice shared-notice" role="status">
                    <p>{ "You are looking at a shared state: nothing you do here is saved unless you keep it." }
                        if mine > 0 {
                            { format!(" Keeping it sets your {mine} saved change{} to this scenario aside, and they can be brought back.", if mine == 1 { "" } else { "s" }) }
                        }
                    </p>
                    <button type="button" class="keep-shared" onclick={send.reform(|_| Action::KeepShared)}>{ "Keep it as my work" }</button>
                </div>
            }
            if let Some(count) = this.before.filter(|_| this.shared.is_none()) {
                <div class="notice before-notice" role="status">
                    <p>{ format!("Your {count} earlier change{} to this scenario were set aside when other work took their place.", if count == 1 { "" } else { "s" }) }</p>
                    <button type="button" class="bring-back" onclick={send.reform(|_| Action::BringBack)}>{ "Bring them back" }</button>
                    <button type="button" class="let-go" onclick={send.reform(|_| Action::LetGoBefore)}>{ "Let them go" }</button>
                </div>
            }
            { session_toolbar(&this.player, this.shared.is_some(), &send) }
            if let Some(url) = &this.link {
                <p class="share-link">
                    <label>{ "Link to this state: " }<input readonly=true value={url.clone()} /></label>
                    <button type="button" class="copy-link" onclick={copy_link(url, &send)}>{ "Copy the link" }</button>
                </p>
            }
            { this.view_answer(Place::Session) }
            <Terminal port={this.terminal.clone()} version={this.terminal.borrow().version}
                on_request={send.reform(Action::Terminal)} />
            { this.view_learner_files(&send) }
            <div class="sandbox-body">
                { world.lanes() }
                <aside class="inspector" id="inspector" tabindex="-1" aria-label="Selected">
                    { this.view_selected(&send) }
                    { this.view_answer(Place::Inspector) }
                </aside>
            </div>
            { this.view_answer(Place::World) }
            { this.view_services(&send) }
            { this.view_service_forms(&send) }
            { this.view_roles(&send) }
            { this.view_command_box(&send) }
            { world.chart() }
            { event_log(this.player.player(), &send) }
        </>
    };
    html! {
        <main class="sandbox-page" id="main" tabindex="-1" aria-labelledby="sandbox-heading">
            <header class="sandbox-header">
                <h1 id="sandbox-heading">{ "Sandbox: " }{ &this.player.scenario().name }</h1>
                if this.player.lesson().is_some() {
                    // The scenario's own story (its later steps) is cut
                    // from a lesson's start, so its description would
                    // promise events that never come.
                    <p class="sandbox-description">
                        { "This lesson starts from the set-up of the scenario " }
                        <a href={crate::route::href(&format!("sandbox/{current}/"))}>{ current }</a>
                        { ", without the events the scenario itself goes on to play. What happens next is up to you." }
                    </p>
                } else {
                    <p class="sandbox-description">{ &this.player.scenario().description }</p>
                    <p class="compare-link"><a href={crate::route::href("compare/")}>{ "Compare Fargate and EC2 side by side on one clock" }</a>
                        if this.building.is_none() && this.shared.is_none() {
                            { " \u{b7} " }<button type="button" class="open-builder" onclick={send.reform(|_| Action::Build(BuildMsg::Open))}>{ "Build a lesson from this scenario" }</button>
                        }
                    </p>
                    <nav class="scenario-picker" aria-label="Scenarios">
                        { for SCENARIOS.iter().map(|s| html! {
                            <a href={crate::route::href(&format!("sandbox/{}/", s.slug))}
                               aria-current={(s.slug == current).then_some("page")}>{ s.slug }</a>
                        }) }
                    </nav>
                }
            </header>
            if let Some(building) = &this.building {
                { beside(this.tab, "Lesson builder", this.view_builder(building, &send), live, &send) }
            } else if let Some(lesson) = this.player.lesson() {
                // A lesson: what to do and its chapter's notes on one side,
                // the live cluster and the terminal on the other.
                { beside(this.tab, Tab::Lesson.label(), html! {
                    <>
                        <LessonPanel key={lesson.id.clone()} {lesson} judged={this.player.judged().to_vec()}
                            answer={dockyard_course::lessons::Answer::Steps(this.player.session().steps.clone())} />
                        <ChapterNotes chapter={lesson.chapter} />
                    </>
                }, live, &send) }
            } else {
                { live }
            }
        </main>
    }
}

/// A panel (a lesson, or the lesson builder) beside the live cluster, as
/// two tabs on a narrow screen, where the two cannot sit side by side.
fn beside(shown: Tab, side_label: &str, side: Html, live: Html, send: &Callback<Action>) -> Html {
    html! {
        <div class={classes!("lesson-layout", format!("show-{}", shown.name()))}>
            <div class="lesson-tabs" role="tablist" aria-label={format!("{side_label} or live cluster")}>
                { for [Tab::Lesson, Tab::Live].into_iter().map(|tab| html! {
                    <button type="button" role="tab" id={format!("tab-{}", tab.name())}
                        aria-selected={(shown == tab).to_string()}
                        aria-controls={format!("pane-{}", tab.name())}
                        onclick={send.reform(move |_| Action::Tab(tab))}>{ if tab == Tab::Lesson { side_label } else { tab.label() } }</button>
                }) }
            </div>
            <div class="lesson-side" id="pane-lesson" role="tabpanel" aria-labelledby="tab-lesson">{ side }</div>
            <div class="lesson-live" id="pane-live" role="tabpanel" aria-labelledby="tab-live">{ live }</div>
        </div>
    }
}

/// The learner's changes: undo, redo, reset, and the session shared,
/// exported or imported. A plain view: its callbacks are new on every
/// render, so a component of its own would redraw every time anyway.
fn session_toolbar(player: &SessionPlayer, shared: bool, send: &Callback<Action>) -> Html {
    // A share link's changes are its sender's until the learner keeps them.
    let whose = if shared {
        "in this shared state"
    } else {
        "of yours"
    };
    let changes = match player.session().steps.len() {
        0 => format!("no changes {whose}"),
        1 => format!("1 change {whose}"),
        n => format!("{n} changes {whose}"),
    };
    html! {
        <div class="sandbox-session" role="toolbar" aria-label="Your changes">
            <button class="undo" disabled={!player.can_undo()} onclick={send.reform(|_| Action::Undo)}>{ "Undo" }</button>
            <button class="redo" disabled={!player.can_redo()} onclick={send.reform(|_| Action::Redo)}>{ "Redo" }</button>
            <button class="reset" onclick={send.reform(|_| Action::Reset)}>{ "Reset to start" }</button>
            <span class="session-count">{ changes }</span>
            <button class="share" onclick={send.reform(|_| Action::ShowLink)}>{ "Share link" }</button>
            <button class="export" onclick={send.reform(|_| Action::Export)}>{ "Export" }</button>
            <label class="import">{ "Import " }
                <input type="file" accept=".json,application/json" onchange={on_import(send)} />
            </label>
        </div>
    }
}

/// What happened, latest first, and the learner's steps the model refused.
/// A task that could not start, a pod still Pending and a service that
/// cannot place its tasks offer their chain of causes.
fn event_log(player: &Player, send: &Callback<Action>) -> Html {
    let explains = |what: &What| match what {
        What::TaskStateChanged {
            task,
            to: TaskState::Stopped,
            ..
        } if player.world.task(task).is_some_and(|t| !t.why.is_empty()) => {
            Some((task.clone(), format!("Why did {task} stop?")))
        }
        // Only while it still waits: a pod scheduled since has no chain.
        What::PodPending { pod, .. }
            if player
                .world
                .eks()
                .pods
                .get(pod)
                .is_some_and(|p| p.pending.is_some()) =>
        {
            Some((pod.clone(), format!("Why is {pod} Pending?")))
        }
        What::TaskLaunchFailed {
            service: Some(service),
            ..
        } if player
            .world
            .service(service)
            .is_some_and(|s| s.launch_failure.is_some()) =>
        {
            Some((
                service.clone(),
                format!("Why can service {service} not launch its tasks?"),
            ))
        }
        What::TaskUnplaceable {
            service: Some(service),
            ..
        } if player
            .world
            .service(service)
            .is_some_and(|s| s.unplaced > 0 && s.unplaced_reason.is_some()) =>
        {
            Some((
                service.clone(),
                format!("Why can service {service} not place its tasks?"),
            ))
        }
        _ => None,
    };
    html! {
        <section class="event-log" aria-label="Events" tabindex="0">
            <h2>{ "What happened" }</h2>
            <ol aria-live="polite">
                { for player.events.iter().rev().take(40).map(|e| html! {
                    <li><time>{ clock(e.at) }</time>{ " " }{ e.what.describe() }
                        if let Some((id, label)) = explains(&e.what) {
                            { " " }<button type="button" class="why-button" onclick={explain(send, id)}
                                aria-label={label}>{ "Why?" }</button>
                        }
                    </li>
                }) }
            </ol>
            if !player.refused.is_empty() {
                <ul class="refused">
                    { for player.refused.iter().map(|r| html! {
                        <li>
                            { format!("Step {} refused: {} (", r.step + 1, r.rejection.message) }
                            <a href={crate::route::href(&format!("findings/{}/", r.rejection.code))}><code>{ r.rejection.code }</code></a>
                            { ")" }
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}

/// Selects a stopped task or a Pending pod and takes the learner to the
/// inspector, where its chain of causes is drawn (after the render that
/// draws it).
fn explain(send: &Callback<Action>, task: String) -> Callback<MouseEvent> {
    let send = send.clone();
    Callback::from(move |_| {
        send.emit(Action::Select(Some(task.clone())));
        yew::platform::spawn_local(async {
            yew::platform::time::sleep(std::time::Duration::ZERO).await;
            super::focus_by_id("inspector");
        });
    })
}

/// Puts the link on the clipboard and tells the sandbox how that went.
fn copy_link(url: &str, send: &Callback<Action>) -> Callback<MouseEvent> {
    let url = url.to_string();
    let send = send.clone();
    Callback::from(move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(&url);
        let send = send.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = wasm_bindgen_futures::JsFuture::from(promise)
                .await
                .map(|_| ())
                .map_err(|error| {
                    js_sys::Error::from(error)
                        .message()
                        .as_string()
                        .unwrap_or_else(|| "no reason given".to_string())
                });
            send.emit(Action::Copied(result));
        });
    })
}

/// A command in words for the learner: the AWS CLI, kubectl or docker
/// line that does the same (as the terminal shows it), or its JSON.
fn in_words(command: &Command, world: &dockyard_model::sim::World) -> String {
    match dockyard_terminal::cli_for(command, world) {
        Some(lines) if !lines.is_empty() => lines.join(" && "),
        _ => serde_json::to_string(command).unwrap_or_else(|_| "a command".to_string()),
    }
}

/// What a command that the model took did, in words: the revision a
/// registration made, else what happened at once (the event log's
/// sentences), else the command itself.
fn what_it_did(
    world: &dockyard_model::sim::World,
    definitions_before: &[String],
    events: &[dockyard_model::sim::Event],
    typed: Option<&[String]>,
) -> String {
    let registered: Vec<String> = world
        .task_definitions()
        .map(|(revision, _)| revision.to_string())
        .filter(|revision| !definitions_before.contains(revision))
        .collect();
    if !registered.is_empty() {
        return format!("Registered task definition {}.", registered.join(", "));
    }
    const SHOWN: usize = 3;
    if !events.is_empty() {
        let mut said: Vec<String> = events
            .iter()
            .take(SHOWN)
            .map(|event| event.what.describe())
            .collect();
        if events.len() > SHOWN {
            said.push(format!(
                "(and {} more in What happened)",
                events.len() - SHOWN
            ));
        }
        return format!("Done. {}", said.join(" "));
    }
    match typed {
        Some(lines) if !lines.is_empty() => format!("Done: {}", lines.join(" && ")),
        _ => "Done.".to_string(),
    }
}

/// Reads the chosen file and hands its text to the sandbox.
fn on_import(send: &Callback<Action>) -> Callback<Event> {
    let send = send.clone();
    Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        // Refused by its size before a byte is read: no file freezes the page.
        let limit = dockyard_course::session::MAX_SESSION_BYTES;
        if file.size() > limit as f64 {
            send.emit(Action::Import(Err(dockyard_course::session::too_large(
                "a session",
                file.size() as usize,
                limit,
            ))));
            return;
        }
        let send = send.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .map_err(|_| "the file could not be read".to_string())
                .and_then(|v| {
                    v.as_string()
                        .ok_or_else(|| "the file is not text".to_string())
                });
            send.emit(Action::Import(text));
        });
    })
}

/// Offers `text` as a file download.
pub(crate) fn download(name: &str, text: &str) -> Result<(), String> {
    let describe = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(describe)?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    web_sys::Url::revoke_object_url(&url).map_err(describe)?;
    Ok(())
}
