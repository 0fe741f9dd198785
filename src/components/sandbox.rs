//! The sandbox page: a learner's session on a shipped scenario (or a
//! lesson's start), played on the model's simulated clock. The session
//! itself (replay, undo, redo, reset, seeking, the lesson's verdict) is the
//! course crate's `SessionPlayer`; this component keeps the wall clock,
//! restores and saves the session, and lays out the page: the world drawn
//! by `world_view`, the forms and inspector in `sandbox/forms.rs`.

use dockyard_course::lessons;
use dockyard_course::player::SessionPlayer;
use dockyard_course::scenarios::{ShippedScenario, SCENARIOS};
use dockyard_course::session::Session;
use dockyard_model::sim::{clock, Command};
use gloo_storage::{LocalStorage, Storage};
use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::clock::tab_hidden;
use super::clock_controls::ClockControls;
use super::world_view::WorldView;
use super::LessonPanel;

mod forms;

use forms::{FormMsg, Forms};

/// Where the sandbox keeps the learner's session between visits.
pub const SESSION_KEY: &str = "dockyard.sandbox.v1";
/// Where an unreadable saved session is moved, so that nothing is lost.
pub const SESSION_BACKUP_KEY: &str = "dockyard.sandbox.v1.unreadable";

/// Wall-clock milliseconds between two animation ticks.
const TICK_MS: u32 = 100;

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

pub enum Msg {
    Tick,
    TogglePlay,
    /// One simulated minute forward.
    Step,
    Speed(u32),
    /// Jump to a simulated time (seconds).
    Seek(u64),
    Select(Option<String>),
    /// A command of the learner's, at the current time.
    Do(Box<Command>),
    Undo,
    Redo,
    /// Back to the scenario's start, without the learner's commands
    /// (which Redo brings back one by one).
    Reset,
    ShowLink,
    Export,
    /// The text of a chosen session file.
    Import(Result<String, String>),
    /// What the learner types into a form.
    Form(FormMsg),
    CreateRole,
    /// Runs the command box's text.
    RunCommandText,
}

pub struct Sandbox {
    player: SessionPlayer,
    playing: bool,
    speed: u32,
    selected: Option<String>,
    /// What the learner should read: a refused command, a bad file, a
    /// saved session that could not be read.
    message: Option<String>,
    link: Option<String>,
    forms: Forms,
    /// Whether the lesson's goal was met at the last change, so that
    /// progress is written when it becomes met, not on every tick.
    lesson_met: bool,
    /// The player's revision and clock when the session was last saved.
    saved: (u64, u64),
    /// Made once, so that unchanged boxes compare equal and are skipped.
    on_select: Callback<Option<String>>,
    on_do: Callback<Command>,
    _ticker: Option<Interval>,
}

impl Sandbox {
    fn save(&mut self) {
        let session = self.player.session();
        // A lesson's work is kept per lesson, apart from the free sandbox.
        if let Some(id) = &session.lesson {
            if let Err(error) =
                LocalStorage::raw().set_item(&super::lesson_key(id), &session.to_json())
            {
                self.message = Some(format!(
                    "Dockyard could not save the lesson ({error:?}); it will be lost when you close the tab."
                ));
            }
            return;
        }
        // Looking at another scenario does not replace the changes saved for
        // one; making a change of your own here does.
        if session.steps.is_empty() {
            let other_has_work = LocalStorage::raw()
                .get_item(SESSION_KEY)
                .ok()
                .flatten()
                .and_then(|raw| Session::parse(&raw).ok())
                .is_some_and(|saved| saved.scenario != session.scenario && !saved.steps.is_empty());
            if other_has_work {
                return;
            }
        }
        if let Err(error) = LocalStorage::set(SESSION_KEY, session) {
            self.message = Some(format!(
                "Dockyard could not save the sandbox ({error}); it will be lost when you close the tab."
            ));
        }
    }

    /// Applies a learner's command, or says why it was not.
    fn command(&mut self, command: Command) {
        self.message = self.player.command(command).err().map(|e| e.to_string());
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
        self.save();
    }

    fn stop(&mut self) {
        self.playing = false;
        self._ticker = None;
        self.save_clock();
    }

    fn world_view(&self) -> WorldView<'_> {
        WorldView {
            player: self.player.player(),
            until: self.player.scenario().until,
            selected: self.selected.as_deref(),
            on_select: &self.on_select,
            on_do: Some(&self.on_do),
        }
    }

    /// Where the learner left a lesson, or its start; an unreadable save is
    /// kept aside and reported.
    fn restore_lesson(id: &str) -> (Session, Option<String>) {
        let lesson = lessons::lesson(id).expect("the route checked the lesson");
        let work = lesson
            .sandbox()
            .expect("the route sends only sandbox lessons here");
        let key = super::lesson_key(id);
        match LocalStorage::raw()
            .get_item(&key)
            .ok()
            .flatten()
            .map(|raw| (Session::parse(&raw), raw))
        {
            Some((Ok(saved), _)) if saved.lesson.as_deref() == Some(id) => (saved, None),
            Some((Err(error), raw)) => {
                let backup = super::lesson_backup_key(id);
                let _ = LocalStorage::raw().set_item(&backup, &raw);
                let _ = LocalStorage::raw().remove_item(&key);
                (
                    Session::for_lesson(id, work),
                    Some(format!("Your saved work on this lesson could not be read ({error}), so it starts afresh. The unreadable data was kept in localStorage under \u{201c}{backup}\u{201d}.")),
                )
            }
            _ => (Session::for_lesson(id, work), None),
        }
    }

    /// The saved session for this scenario, or a fresh one; an unreadable
    /// one is kept aside and reported.
    fn restore(slug: &str) -> (Session, Option<String>) {
        let raw = LocalStorage::raw().get_item(SESSION_KEY).ok().flatten();
        let Some(raw) = raw else {
            return (Session::new(slug), None);
        };
        match Session::parse(&raw) {
            Ok(saved) if saved.scenario == slug => (saved, None),
            Ok(other) if !other.steps.is_empty() => (
                Session::new(slug),
                Some(format!(
                    "Your {} change{} to {} stay saved until you change this scenario; a share link or Export keeps them for good.",
                    other.steps.len(),
                    if other.steps.len() == 1 { "" } else { "s" },
                    other.scenario
                )),
            ),
            Ok(_) => (Session::new(slug), None),
            Err(error) => {
                let _ = LocalStorage::raw().set_item(SESSION_BACKUP_KEY, &raw);
                let _ = LocalStorage::raw().remove_item(SESSION_KEY);
                (
                    Session::new(slug),
                    Some(format!(
                        "Dockyard could not read your saved sandbox ({error}), so it started this scenario afresh. The unreadable data was kept in localStorage under \u{201c}{SESSION_BACKUP_KEY}\u{201d}."
                    )),
                )
            }
        }
    }
}

impl Component for Sandbox {
    type Message = Msg;
    type Properties = SandboxProps;

    fn create(ctx: &Context<Self>) -> Self {
        let props = ctx.props();
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
                Some(id) => Self::restore_lesson(id),
                None => Self::restore(props.scenario.slug),
            },
        };
        let player = SessionPlayer::new(session);
        let mut sandbox = Sandbox {
            saved: (player.revision(), player.session().at),
            player,
            playing: false,
            speed: 60,
            selected: None,
            message,
            link: None,
            forms: Forms::default(),
            lesson_met: false,
            on_select: ctx.link().callback(Msg::Select),
            on_do: ctx.link().callback(|command| Msg::Do(Box::new(command))),
            _ticker: None,
        };
        if from_link {
            sandbox.save_now();
        }
        sandbox.after_change();
        sandbox
    }

    fn changed(&mut self, ctx: &Context<Self>, _old: &Self::Properties) -> bool {
        // Another scenario or lesson: keep where this one's clock was.
        self.save_clock();
        *self = <Self as Component>::create(ctx);
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Tick => {
                if !self.playing {
                    return false;
                }
                if tab_hidden() {
                    // The tab may be closed next: keep where the clock is.
                    self.save_clock();
                    return false;
                }
                self.player
                    .play_for(u64::from(self.speed) * u64::from(TICK_MS));
                if self.player.at_end() {
                    self.stop();
                }
            }
            Msg::TogglePlay => {
                if self.playing {
                    self.stop();
                } else {
                    self.playing = true;
                    if self.player.at_end() {
                        self.player.seek(0);
                    }
                    let link = ctx.link().clone();
                    self._ticker =
                        Some(Interval::new(TICK_MS, move || link.send_message(Msg::Tick)));
                }
            }
            Msg::Step => self.player.seek((self.player.now() / 60_000 + 1) * 60_000),
            Msg::Speed(speed) => self.speed = speed,
            Msg::Seek(seconds) => self.player.seek(seconds * 1000),
            Msg::Select(id) => self.selected = id,
            Msg::Form(msg) => {
                self.forms.update(msg);
                return true;
            }
            Msg::RunCommandText => match self.forms.typed_command() {
                Ok(command) => self.command(command),
                Err(message) => self.message = Some(message),
            },
            Msg::CreateRole => match self.forms.role_command() {
                Ok(command) => self.command(command),
                Err(message) => self.message = Some(message),
            },
            Msg::Do(command) => self.command(*command),
            Msg::Undo => {
                self.player.undo();
            }
            Msg::Redo => {
                self.player.redo();
            }
            Msg::Reset => {
                self.playing = false;
                self._ticker = None;
                self.player.reset();
            }
            Msg::ShowLink => {
                let base = web_sys::window()
                    .and_then(|w| w.location().href().ok())
                    .map(|href| href.split('#').next().unwrap_or_default().to_string())
                    .unwrap_or_default();
                self.link = Some(format!("{base}#/share/{}", self.player.session().to_link()));
            }
            Msg::Export => {
                let session = self.player.session();
                if let Err(error) = download(
                    &format!("{}.session.json", session.scenario),
                    &session.to_json(),
                ) {
                    self.message = Some(format!(
                        "The file could not be offered for download: {error}"
                    ));
                }
            }
            Msg::Import(text) => match text.and_then(|text| Session::parse(&text)) {
                Ok(session) => {
                    self.message = None;
                    let current = self.player.session();
                    // Another lesson's work, or another scenario's: keep it
                    // there and go there.
                    let elsewhere = if session.lesson != current.lesson && session.lesson.is_some()
                    {
                        session.lesson.as_ref().map(|id| format!("#/lesson/{id}"))
                    } else if session.scenario != current.scenario
                        || session.lesson != current.lesson
                    {
                        Some(format!("#/sandbox/{}", session.scenario))
                    } else {
                        None
                    };
                    self.player.replace(session);
                    if let Some(hash) = elsewhere {
                        self.save_now();
                        if let Some(window) = web_sys::window() {
                            let _ = window.location().set_hash(&hash);
                        }
                        return true;
                    }
                }
                Err(error) => {
                    self.message = Some(format!(
                        "That file is not a sandbox session, so nothing changed: {error}"
                    ));
                }
            },
        }
        self.after_change();
        true
    }

    fn destroy(&mut self, _ctx: &Context<Self>) {
        // Leaving the page while the clock runs keeps where it was.
        self.save_clock();
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let current = ctx.props().scenario.slug;
        let world = self.world_view();
        let player = self.player.player();
        html! {
            <section class="sandbox-page" aria-labelledby="sandbox-heading">
                <header class="sandbox-header">
                    <h1 id="sandbox-heading">{ "Sandbox: " }{ &self.player.scenario().name }</h1>
                    if self.player.lesson().is_some() {
                        // The scenario's own story (its later steps) is cut
                        // from a lesson's start, so its description would
                        // promise events that never come.
                        <p class="sandbox-description">
                            { "This lesson starts from the set-up of the scenario " }
                            <a href={format!("#/sandbox/{current}")}>{ current }</a>
                            { ", without the events the scenario itself goes on to play. What happens next is up to you." }
                        </p>
                    } else {
                        <p class="sandbox-description">{ &self.player.scenario().description }</p>
                        <p class="compare-link"><a href="#/compare">{ "Compare Fargate and EC2 side by side on one clock" }</a></p>
                        <nav class="scenario-picker" aria-label="Scenarios">
                            { for SCENARIOS.iter().map(|s| html! {
                                <a href={format!("#/sandbox/{}", s.slug)}
                                   aria-current={(s.slug == current).then_some("page")}>{ s.slug }</a>
                            }) }
                        </nav>
                    }
                </header>
                if let Some(lesson) = self.player.lesson() {
                    <LessonPanel key={lesson.id.clone()} lesson={lesson.clone()} judged={self.player.judged().to_vec()} />
                }
                <ClockControls playing={self.playing} speed={self.speed} at={self.player.now()} until={self.player.until()}
                    on_toggle={link.callback(|_| Msg::TogglePlay)} on_step={link.callback(|_| Msg::Step)}
                    on_speed={link.callback(Msg::Speed)} on_seek={link.callback(Msg::Seek)}>
                    <output class="bill">{ format!("${:.4}", self.player.world().cost()) }</output>
                </ClockControls>
                <div class="sandbox-session" role="toolbar" aria-label="Your changes">
                    <button class="undo" disabled={!self.player.can_undo()} onclick={link.callback(|_| Msg::Undo)}>{ "Undo" }</button>
                    <button class="redo" disabled={!self.player.can_redo()} onclick={link.callback(|_| Msg::Redo)}>{ "Redo" }</button>
                    <button class="reset" onclick={link.callback(|_| Msg::Reset)}>{ "Reset to start" }</button>
                    <span class="session-count">{ match self.player.session().steps.len() { 0 => "no changes of yours".to_string(), 1 => "1 change of yours".to_string(), n => format!("{n} changes of yours") } }</span>
                    <button class="share" onclick={link.callback(|_| Msg::ShowLink)}>{ "Share link" }</button>
                    <button class="export" onclick={link.callback(|_| Msg::Export)}>{ "Export" }</button>
                    <label class="import">{ "Import " }
                        <input type="file" accept=".json,application/json" onchange={on_import(ctx)} />
                    </label>
                </div>
                if let Some(url) = &self.link {
                    <p class="share-link"><label>{ "Link to this state: " }<input readonly=true value={url.clone()} /></label></p>
                }
                if let Some(message) = &self.message {
                    <p class="sandbox-message" role="alert">{ message }</p>
                }
                { self.view_services(ctx) }
                { self.view_roles(ctx) }
                { self.view_command_box(ctx) }
                <div class="sandbox-body">
                    { world.lanes() }
                    <aside class="inspector" aria-label="Selected">{ self.view_selected(ctx) }</aside>
                </div>
                { world.chart() }
                <section class="event-log" aria-label="Events">
                    <h2>{ "What happened" }</h2>
                    <ol aria-live="polite">
                        { for player.events.iter().rev().take(40).map(|e| html! {
                            <li><time>{ clock(e.at) }</time>{ " " }{ e.what.describe() }</li>
                        }) }
                    </ol>
                    if !player.refused.is_empty() {
                        <ul class="refused">
                            { for player.refused.iter().map(|r| html! {
                                <li>{ format!("Step {} refused: {}", r.step + 1, r.rejection.message) }</li>
                            }) }
                        </ul>
                    }
                </section>
            </section>
        }
    }
}

/// Reads the chosen file and hands its text to the sandbox.
fn on_import(ctx: &Context<Sandbox>) -> Callback<Event> {
    let link = ctx.link().clone();
    Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        let link = link.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .map_err(|_| "the file could not be read".to_string())
                .and_then(|v| {
                    v.as_string()
                        .ok_or_else(|| "the file is not text".to_string())
                });
            link.send_message(Msg::Import(text));
        });
    })
}

/// Offers `text` as a file download.
pub fn download(name: &str, text: &str) -> Result<(), String> {
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
