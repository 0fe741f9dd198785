//! The sandbox: a shipped scenario played in the browser on the model's
//! simulated clock, drawn as Availability Zone lanes with instances, tasks,
//! nodes and pods, a chart of the timeline and the event log in words.
//! Every rule is the model's; this file only draws and keeps the clock.

use std::collections::BTreeMap;

use dockyard_course::lessons::{self, Lesson};
use dockyard_course::scenarios::{ShippedScenario, SCENARIOS};
use dockyard_course::session::Session;
use dockyard_course::storage::{Key, Load};
use dockyard_model::sim::eks::{PodPhase, PodPlacement};
use dockyard_model::sim::scenario::{Player, Scenario, Step};
use dockyard_model::sim::{clock, Command, Placement, TaskState};
use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::clock_controls::{tab_hidden, ClockControls};
use super::event_value;
use super::LessonPanel;
use crate::storage;

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
    /// Follow another clock (simulated milliseconds), as one side of a
    /// comparison: no controls, no changes, nothing saved.
    #[prop_or_default]
    pub follow: Option<u64>,
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
    /// Jump to a simulated time (seconds): forward by playing on, back by
    /// replaying from the start (the model is deterministic).
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
    /// The call the selected task's application makes, as typed.
    AppCall(String),
    /// Where and what the selected task writes ("" is the container's own
    /// filesystem).
    FileVolume(String),
    FilePath(String),
    /// The new-role form: name, trusted service, managed policies, JSON.
    RoleForm(RoleForm),
    /// The launch form: instance type, zone, Spot, instance profile role.
    LaunchForm(LaunchForm),
    CreateRole,
    /// The command box's text, a template by a command's name, and running it.
    CommandText(String),
    CommandTemplate(String),
    RunCommandText,
}

/// What the learner chose in the launch-an-instance form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LaunchForm {
    pub instance_type: String,
    pub az: String,
    pub spot: bool,
    /// The instance profile's role ARN; empty for the standard ecsInstanceRole.
    pub role: String,
}

/// What the learner is typing into the new-role form.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleForm {
    pub name: String,
    pub trusted_service: String,
    pub managed: Vec<String>,
    pub policy: String,
}

impl Default for RoleForm {
    fn default() -> Self {
        RoleForm {
            name: "myTaskRole".into(),
            trusted_service: "ecs-tasks.amazonaws.com".into(),
            managed: Vec::new(),
            policy: r#"{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "ReadReports", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*" }
  ]
}"#
            .into(),
        }
    }
}

pub struct Sandbox {
    session: Session,
    /// Undone commands, the most recent last.
    redo: Vec<Step>,
    scenario: Scenario,
    player: Player,
    playing: bool,
    speed: u32,
    selected: Option<String>,
    /// What the learner should read: a refused command, a bad file, a
    /// saved session that could not be read.
    message: Option<String>,
    link: Option<String>,
    /// A call of the application's own, tried against the selected task.
    app_call: String,
    file_volume: String,
    file_path: String,
    role_form: RoleForm,
    launch_form: LaunchForm,
    /// Any command, written as JSON (`{"do": "createService", ...}`).
    command_text: String,
    /// One side of a comparison (see `SandboxProps::follow`).
    following: bool,
    /// The session's lesson, read once (the goal is judged on every draw).
    lesson: Option<Lesson>,
    /// Whether the lesson's goal was met at the last judgement, so that
    /// progress is written when it becomes met, not on every tick.
    lesson_met: bool,
    /// Made once, so that unchanged boxes compare equal and are skipped.
    on_select: Callback<Option<String>>,
    _ticker: Option<Interval>,
}

impl Sandbox {
    fn until_ms(&self) -> u64 {
        self.scenario.until * 1000
    }

    fn restart(&mut self) {
        self.player = Player::new(&self.scenario, None);
    }

    fn seek(&mut self, to_ms: u64) {
        let to_ms = to_ms.min(self.until_ms());
        if to_ms < self.player.now() {
            self.restart();
        }
        self.player.advance_to(to_ms);
        self.session.at = self.player.now();
    }

    /// Rebuilds the world from the session: the scenario, the learner's
    /// commands, replayed to the session's time.
    fn load(&mut self, session: Session) {
        if self.lesson.as_ref().map(|l| &l.id) != session.lesson.as_ref() {
            self.lesson = session.lesson.as_deref().and_then(lessons::lesson);
            self.lesson_met = false;
        }
        self.scenario = session.scenario();
        self.player = Player::new(&self.scenario, None);
        self.player.advance_to(session.at);
        self.session = session;
        self.link = None;
    }

    fn save(&mut self) {
        if self.following {
            return;
        }
        // A lesson's work is kept per lesson, apart from the free sandbox.
        if let Some(id) = &self.session.lesson {
            if let Err(error) = storage::save(Key::Lesson(id), &self.session.to_json()) {
                self.message = Some(format!(
                    "Dockyard could not save the lesson ({error}); it will be lost when you close the tab."
                ));
            }
            return;
        }
        // Looking at another scenario does not replace the changes saved for
        // one; making a change of your own here does.
        if self.session.steps.is_empty() {
            let other_has_work = storage::read(Key::Sandbox)
                .and_then(|raw| Session::parse(&raw).ok())
                .is_some_and(|saved| {
                    saved.scenario != self.session.scenario && !saved.steps.is_empty()
                });
            if other_has_work {
                return;
            }
        }
        if let Err(error) = storage::save(Key::Sandbox, &self.session.to_json()) {
            self.message = Some(format!(
                "Dockyard could not save the sandbox ({error}); it will be lost when you close the tab."
            ));
        }
    }

    /// Applies a learner's command at the next whole simulated second: the
    /// session with the command is replayed, and kept only if the model
    /// accepted it.
    fn command(&mut self, command: Command) {
        if self.session.steps.len() >= dockyard_course::session::MAX_STEPS {
            self.message = Some(format!(
                "A session holds at most {} changes of yours: undo some, or reset, to make more.",
                dockyard_course::session::MAX_STEPS
            ));
            return;
        }
        let at = self.player.now().div_ceil(1000);
        let mut candidate = self.session.clone();
        candidate.steps.push(Step { at, command });
        candidate.at = at * 1000;
        let scenario = candidate.scenario();
        let index = scenario.steps.len() - 1;
        let mut player = Player::new(&scenario, None);
        player.advance_to(candidate.at);
        if let Some(refused) = player.refused.iter().find(|r| r.step == index) {
            self.message = Some(format!("Refused: {}", refused.rejection.message));
            return;
        }
        self.message = None;
        self.scenario = scenario;
        self.player = player;
        self.session = candidate;
        self.redo.clear();
        self.link = None;
    }

    /// Records a lesson as done when its goal becomes met.
    fn judge_lesson(&mut self) {
        let met = self.lesson.as_ref().is_some_and(|lesson| {
            !self.following && lessons::all_met(&lesson.judge(&self.player.world))
        });
        if met && !self.lesson_met {
            if let Some(lesson) = &self.lesson {
                super::mark_done(&lesson.id);
            }
        }
        self.lesson_met = met;
    }

    /// Where the learner left a lesson, or its start; an unreadable save is
    /// kept aside and reported.
    fn restore_lesson(id: &str) -> (Session, Option<String>) {
        let lesson = lessons::lesson(id).expect("the route checked the lesson");
        let work = lesson
            .sandbox()
            .expect("the route sends only sandbox lessons here");
        match storage::load(Key::Lesson(id), Session::parse) {
            Load::Found(saved) if saved.lesson.as_deref() == Some(id) => (saved, None),
            Load::SetAside(notice) => (Session::for_lesson(id, work), Some(notice)),
            _ => (Session::for_lesson(id, work), None),
        }
    }

    /// The saved session for this scenario, or a fresh one; an unreadable
    /// one is kept aside and reported.
    fn restore(slug: &str) -> (Session, Option<String>) {
        match storage::load(Key::Sandbox, Session::parse) {
            Load::Found(saved) if saved.scenario == slug => (saved, None),
            Load::Found(other) if !other.steps.is_empty() => (
                Session::new(slug),
                Some(format!(
                    "Your {} change{} to {} stay saved until you change this scenario; a share link or Export keeps them for good.",
                    other.steps.len(),
                    if other.steps.len() == 1 { "" } else { "s" },
                    other.scenario
                )),
            ),
            Load::SetAside(notice) => (Session::new(slug), Some(notice)),
            Load::Found(_) | Load::Absent | Load::Refused(_) => (Session::new(slug), None),
        }
    }
}

/// Starting points for the command box, by command name.
const COMMAND_TEMPLATES: &[(&str, &str)] = &[
    (
        "createService",
        r#"{"do": "createService", "cluster": "CLUSTER", "name": "web", "taskDefinition": "FAMILY", "desiredCount": 2, "capacity": "fargate"}"#,
    ),
    (
        "createFargateProfile",
        r#"{"do": "createFargateProfile", "cluster": "CLUSTER", "name": "my-profile", "namespace": "default"}"#,
    ),
    (
        "scaleDeployment",
        r#"{"do": "scaleDeployment", "deployment": "web", "replicas": 3}"#,
    ),
    (
        "runTask",
        r#"{"do": "runTask", "cluster": "CLUSTER", "taskDefinition": "FAMILY", "count": 1, "capacity": "fargate"}"#,
    ),
    (
        "updateService",
        r#"{"do": "updateService", "service": "web", "desiredCount": 3}"#,
    ),
    (
        "setTaskRoles",
        r#"{"do": "setTaskRoles", "service": "web", "taskRoleArn": "arn:aws:iam::111122223333:role/ROLE", "executionRoleArn": "arn:aws:iam::111122223333:role/ROLE"}"#,
    ),
    (
        "createRole",
        r#"{"do": "createRole", "name": "myRole", "trustedService": "ecs-tasks.amazonaws.com", "managedPolicies": ["AmazonECSTaskExecutionRolePolicy"]}"#,
    ),
    (
        "registerTaskDefinition",
        r#"{"do": "registerTaskDefinition", "definition": {"family": "FAMILY", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512", "containerDefinitions": [{"name": "app", "image": "public.ecr.aws/nginx/nginx:1.27", "essential": true}]}}"#,
    ),
    (
        "writeFile",
        r#"{"do": "writeFile", "task": "t-1", "volume": "VOLUME", "path": "notes/hello.txt", "contents": "hello"}"#,
    ),
];

fn parse(scenario: &ShippedScenario) -> Scenario {
    // The shipped files are tested natively and in the browser.
    Scenario::parse(scenario.json).expect("a shipped scenario parses")
}

impl Component for Sandbox {
    type Message = Msg;
    type Properties = SandboxProps;

    fn create(ctx: &Context<Self>) -> Self {
        let props = ctx.props();
        let mut from_link = false;
        let (session, message) = match (&props.shared, props.follow) {
            (_, Some(at)) => {
                let mut session = Session::new(props.scenario.slug);
                session.at = at.min(parse(props.scenario).until * 1000);
                (session, None)
            }
            (Some(shared), None) => match Session::parse(shared) {
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
            (None, None) => match &props.lesson {
                Some(id) => Self::restore_lesson(id),
                None => Self::restore(props.scenario.slug),
            },
        };
        let scenario = parse(props.scenario);
        let player = Player::new(&scenario, None);
        let mut sandbox = Sandbox {
            session: Session::new(props.scenario.slug),
            redo: Vec::new(),
            scenario,
            player,
            playing: false,
            speed: 60,
            selected: None,
            message,
            link: None,
            app_call: "read s3://reports/2026/summary.csv".into(),
            file_volume: String::new(),
            file_path: "notes/hello.txt".into(),
            role_form: RoleForm::default(),
            launch_form: LaunchForm::default(),
            command_text: COMMAND_TEMPLATES[0].1.to_string(),
            following: props.follow.is_some(),
            lesson: None,
            lesson_met: false,
            on_select: ctx.link().callback(Msg::Select),
            _ticker: None,
        };
        sandbox.load(session);
        if from_link {
            sandbox.save();
        }
        sandbox.judge_lesson();
        sandbox
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        let new = ctx.props();
        match (old.follow, new.follow) {
            (Some(_), Some(at)) if old.scenario == new.scenario => self.seek(at),
            _ => *self = <Self as Component>::create(ctx),
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Tick => {
                if tab_hidden() || !self.playing {
                    return false;
                }
                let step = u64::from(self.speed) * u64::from(TICK_MS);
                let to = self.player.now() + step;
                self.seek(to);
                if self.player.now() >= self.until_ms() {
                    self.playing = false;
                    self._ticker = None;
                }
            }
            Msg::TogglePlay => {
                self.playing = !self.playing;
                if self.playing && self.player.now() >= self.until_ms() {
                    self.restart();
                }
                self._ticker = self.playing.then(|| {
                    let link = ctx.link().clone();
                    Interval::new(TICK_MS, move || link.send_message(Msg::Tick))
                });
            }
            Msg::Step => {
                let to = (self.player.now() / 60_000 + 1) * 60_000;
                self.seek(to);
            }
            Msg::Speed(speed) => self.speed = speed,
            Msg::Seek(seconds) => self.seek(seconds * 1000),
            Msg::Select(id) => self.selected = id,
            Msg::AppCall(text) => {
                self.app_call = text;
                return true;
            }
            Msg::FileVolume(volume) => {
                self.file_volume = volume;
                return true;
            }
            Msg::FilePath(path) => {
                self.file_path = path;
                return true;
            }
            Msg::RoleForm(form) => {
                self.role_form = form;
                return true;
            }
            Msg::LaunchForm(form) => {
                self.launch_form = form;
                return true;
            }
            Msg::CommandText(text) => {
                self.command_text = text;
                return true;
            }
            Msg::CommandTemplate(name) => {
                if let Some((_, template)) =
                    COMMAND_TEMPLATES.iter().find(|(known, _)| *known == name)
                {
                    self.command_text = template.to_string();
                }
                return true;
            }
            Msg::RunCommandText => {
                match dockyard_model::json::from_str::<Step>(&self.command_text) {
                    Ok(step) => self.command(step.command),
                    Err(error) => {
                        self.message = Some(format!("That command cannot be read: {error}"));
                        return true;
                    }
                }
            }
            Msg::CreateRole => {
                let form = self.role_form.clone();
                let mut policies = std::collections::BTreeMap::new();
                if !form.policy.trim().is_empty() {
                    match dockyard_model::json::parse_value(&form.policy) {
                        Ok(document) => {
                            policies.insert("inline".to_string(), document);
                        }
                        Err(error) => {
                            self.message = Some(format!(
                                "The policy cannot be read: {}",
                                dockyard_model::json::syntax_error(error)
                            ));
                            return true;
                        }
                    }
                }
                self.command(Command::CreateRole {
                    name: form.name.trim().to_string(),
                    trusted_service: form.trusted_service,
                    managed_policies: form.managed,
                    policies,
                });
            }
            Msg::Do(_) if self.following => return false,
            Msg::Do(command) => self.command(*command),
            Msg::Undo => {
                if let Some(step) = self.session.steps.pop() {
                    self.redo.push(step);
                    self.load(self.session.clone());
                }
            }
            Msg::Redo => {
                if let Some(step) = self.redo.pop() {
                    let mut session = self.session.clone();
                    session.steps.push(step);
                    self.load(session);
                }
            }
            Msg::Reset => {
                let mut steps = std::mem::take(&mut self.session.steps);
                steps.reverse();
                self.redo.extend(steps);
                let mut session = self.session.clone();
                session.at = 0;
                self.playing = false;
                self._ticker = None;
                self.load(session);
            }
            Msg::ShowLink => {
                let base = web_sys::window()
                    .and_then(|w| w.location().href().ok())
                    .map(|href| href.split('#').next().unwrap_or_default().to_string())
                    .unwrap_or_default();
                self.link = Some(format!("{base}#/share/{}", self.session.to_link()));
            }
            Msg::Export => {
                if let Err(error) = download(
                    &format!("{}.session.json", self.session.scenario),
                    &self.session.to_json(),
                ) {
                    self.message = Some(format!(
                        "The file could not be offered for download: {error}"
                    ));
                }
            }
            Msg::Import(text) => match text.and_then(|text| Session::parse(&text)) {
                Ok(session) => {
                    self.message = None;
                    if session.lesson != self.session.lesson && session.lesson.is_some() {
                        // Another lesson's work: keep it there and go there.
                        let id = session.lesson.clone().unwrap_or_default();
                        self.session = session;
                        self.save();
                        if let Some(window) = web_sys::window() {
                            let _ = window.location().set_hash(&format!("#/lesson/{id}"));
                        }
                        return true;
                    }
                    if session.scenario == self.session.scenario
                        && session.lesson == self.session.lesson
                    {
                        self.redo.clear();
                        self.load(session);
                    } else {
                        // Another scenario: save it and go there.
                        self.session = session;
                        self.save();
                        let hash = format!("#/sandbox/{}", self.session.scenario);
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
        self.judge_lesson();
        self.save();
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        if self.following {
            return self.view_side(ctx);
        }
        let link = ctx.link();
        let current = ctx.props().scenario.slug;
        html! {
            <section class="sandbox-page" aria-labelledby="sandbox-heading">
                <header class="sandbox-header">
                    <h1 id="sandbox-heading">{ "Sandbox: " }{ &self.scenario.name }</h1>
                    if self.lesson.is_some() {
                        // The scenario's own story (its later steps) is cut
                        // from a lesson's start, so its description would
                        // promise events that never come.
                        <p class="sandbox-description">
                            { "This lesson starts from the set-up of the scenario " }
                            <a href={format!("#/sandbox/{current}")}>{ current }</a>
                            { ", without the events the scenario itself goes on to play. What happens next is up to you." }
                        </p>
                    } else {
                        <p class="sandbox-description">{ &self.scenario.description }</p>
                        <p class="compare-link"><a href="#/compare">{ "Compare Fargate and EC2 side by side on one clock" }</a></p>
                        <nav class="scenario-picker" aria-label="Scenarios">
                            { for SCENARIOS.iter().map(|s| html! {
                                <a href={format!("#/sandbox/{}", s.slug)}
                                   aria-current={(s.slug == current).then_some("page")}>{ s.slug }</a>
                            }) }
                        </nav>
                    }
                </header>
                if let Some(lesson) = &self.lesson {
                    <LessonPanel key={lesson.id.clone()} lesson={AttrValue::from(lesson.id.clone())} judged={lesson.judge(&self.player.world)} />
                }
                <ClockControls playing={self.playing} speed={self.speed} at={self.player.now()} until={self.until_ms()}
                    on_toggle={link.callback(|_| Msg::TogglePlay)} on_step={link.callback(|_| Msg::Step)}
                    on_speed={link.callback(Msg::Speed)} on_seek={link.callback(Msg::Seek)}>
                    <output class="bill">{ format!("${:.4}", self.player.world.cost()) }</output>
                </ClockControls>
                <div class="sandbox-session" role="toolbar" aria-label="Your changes">
                    <button class="undo" disabled={self.session.steps.is_empty()} onclick={link.callback(|_| Msg::Undo)}>{ "Undo" }</button>
                    <button class="redo" disabled={self.redo.is_empty()} onclick={link.callback(|_| Msg::Redo)}>{ "Redo" }</button>
                    <button class="reset" onclick={link.callback(|_| Msg::Reset)}>{ "Reset to start" }</button>
                    <span class="session-count">{ match self.session.steps.len() { 0 => "no changes of yours".to_string(), 1 => "1 change of yours".to_string(), n => format!("{n} changes of yours") } }</span>
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
                    <div class={classes!("cluster-view", self.crowded().then_some("crowded"))}>{ self.view_ecs(ctx) }{ self.view_eks(ctx) }</div>
                    <aside class="inspector" aria-label="Selected">{ self.view_selected(ctx) }</aside>
                </div>
                { self.view_chart() }
                <section class="event-log" aria-label="Events">
                    <h2>{ "What happened" }</h2>
                    <ol aria-live="polite">
                        { for self.player.events.iter().rev().take(40).map(|e| html! {
                            <li><time>{ clock(e.at) }</time>{ " " }{ e.what.describe() }</li>
                        }) }
                    </ol>
                    if !self.player.refused.is_empty() {
                        <ul class="refused">
                            { for self.player.refused.iter().map(|r| html! {
                                <li>{ format!("Step {} refused: {}", r.step + 1, r.rejection.message) }</li>
                            }) }
                        </ul>
                    }
                </section>
            </section>
        }
    }
}

impl Sandbox {
    /// One side of a comparison: the scenario's name, its bill and what
    /// runs, on the parent's clock.
    fn view_side(&self, ctx: &Context<Self>) -> Html {
        let world = &self.player.world;
        let summary: Vec<String> = world
            .services()
            .filter_map(|s| world.service_snapshot(&s.name))
            .map(|s| {
                format!(
                    "{}: {} desired, {} running, {} pending",
                    s.service, s.desired, s.running, s.pending
                )
            })
            .collect();
        html! {
            <section class="compare-side" aria-label={self.scenario.name.clone()}>
                <h2>{ &self.scenario.name }</h2>
                <p class="compare-figures">
                    <output class="bill">{ format!("${:.4}", world.cost()) }</output>
                    { match world.instances().count() { 1 => " · 1 instance".to_string(), n => format!(" · {n} instances") } }
                    { for summary.iter().map(|line| html! { <>{ " · " }{ line }</> }) }
                </p>
                <div class={classes!("cluster-view", self.crowded().then_some("crowded"))}>{ self.view_ecs(ctx) }{ self.view_eks(ctx) }</div>
                { self.view_chart() }
            </section>
        }
    }

    /// The roles in the account, a form for a new one (trust, managed
    /// policies, a policy as JSON), and each ECS service's task role, which
    /// the learner can change (a new revision and a deployment).
    /// Any of the model's commands, as JSON: what the buttons cannot do
    /// (create a service, a Fargate profile, a task definition revision).
    fn view_command_box(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        html! {
            <details class="command-box">
                <summary>{ "Run any command (JSON)" }</summary>
                <label>{ "Start from " }
                    <select name="command-template" onchange={link.callback(|e: Event| Msg::CommandTemplate(event_value(&e)))}>
                        <option value="" selected=true>{ "(a command's template)" }</option>
                        { for COMMAND_TEMPLATES.iter().map(|(name, _)| html! { <option value={*name}>{ *name }</option> }) }
                    </select>
                </label>
                <textarea name="command-text" class="checker-text" rows="6" spellcheck="false" value={self.command_text.clone()}
                    onchange={link.callback(|e: Event| Msg::CommandText(event_value(&e)))} />
                <button type="button" class="run-command" onclick={link.callback(|_| Msg::RunCommandText)}>{ "Run it now" }</button>
                <p class="muted">{ "It runs at the current simulated time, like every change of yours, and can be undone." }</p>
            </details>
        }
    }

    fn view_roles(&self, ctx: &Context<Self>) -> Html {
        let world = &self.player.world;
        let roles: Vec<_> = world.roles().collect();
        let form = self.role_form.clone();
        let set = |apply: fn(&mut RoleForm, String)| {
            let form = form.clone();
            ctx.link().callback(move |e: Event| {
                let mut next = form.clone();
                apply(&mut next, event_value(&e));
                Msg::RoleForm(next)
            })
        };
        // A managed policy's box adds or removes that policy's name.
        let managed = |name: &'static str| {
            let form = form.clone();
            ctx.link().callback(move |e: Event| {
                let mut next = form.clone();
                next.managed.retain(|m| m != name);
                if event_value(&e) == "true" {
                    next.managed.push(name.to_string());
                }
                Msg::RoleForm(next)
            })
        };
        let services: Vec<String> = world.services().map(|s| s.name.clone()).collect();
        // A task role must trust ECS tasks to be assumed at all.
        let task_roles: Vec<&str> = roles
            .iter()
            .filter(|r| r.trusts(dockyard_model::iam::ECS_TASKS_SERVICE))
            .map(|r| r.arn.as_str())
            .collect();
        html! {
            <details class="roles-panel">
                <summary>{ format!("IAM roles ({}), task roles and container instances", roles.len()) }</summary>
                <ul class="roles">
                    { for roles.iter().map(|r| html! {
                        <li><strong>{ &r.name }</strong>{ " " }<code>{ &r.arn }</code>
                            { format!(" · policies: {}", if r.policies.is_empty() { "none".to_string() } else { r.policies.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ") }) }</li>
                    }) }
                </ul>
                { for services.iter().map(|name| {
                    let definition = world.service_definition(name);
                    let current = definition.and_then(|d| d.task_role_arn.clone()).unwrap_or_default();
                    let execution = definition.and_then(|d| d.execution_role_arn.clone());
                    let service = name.clone();
                    let onchange = ctx.link().callback(move |e: Event| {
                        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                        let value = select.value();
                        Msg::Do(Box::new(Command::SetTaskRoles {
                            service: service.clone(),
                            task_role_arn: (!value.is_empty()).then_some(value),
                            execution_role_arn: execution.clone(),
                        }))
                    });
                    html! {
                        <label class="task-role">{ format!("Task role of service {name} (a new revision and a deployment): ") }
                            <select name={format!("task-role-{name}")} {onchange}>
                                <option value="" selected={current.is_empty()}>{ "(none: the application has no AWS credentials)" }</option>
                                { for task_roles.iter().map(|arn| html! { <option value={arn.to_string()} selected={current == *arn}>{ *arn }</option> }) }
                            </select>
                        </label>
                    }
                }) }
                { self.view_launch(ctx) }
                <fieldset class="new-role">
                    <legend>{ "A new role" }</legend>
                    <label>{ "Name " }<input name="role-name" value={form.name.clone()} onchange={set(|f, v| f.name = v)} /></label>
                    <label>{ "Trusted service " }
                        <select name="role-trust" onchange={set(|f, v| f.trusted_service = v)}>
                            { for ["ecs-tasks.amazonaws.com", "ec2.amazonaws.com"].iter().map(|t| html! { <option value={*t} selected={form.trusted_service == *t}>{ *t }</option> }) }
                        </select>
                    </label>
                    <div class="managed">{ "AWS managed policies: " }
                        { for dockyard_model::iam::MANAGED_POLICIES.iter().map(|p| html! {
                            <label class="check" title={p.purpose}><input type="checkbox" value={p.name} checked={form.managed.iter().any(|m| m == p.name)}
                                onchange={managed(p.name)} />{ p.name }</label>
                        }) }
                    </div>
                    <label>{ "Permissions policy (JSON)" }
                        <textarea name="role-policy" rows="6" spellcheck="false" value={form.policy.clone()} onchange={set(|f, v| f.policy = v)} />
                    </label>
                    <button type="button" class="create-role" onclick={ctx.link().callback(|_| Msg::CreateRole)}>{ "Create role" }</button>
                </fieldset>
            </details>
        }
    }

    /// Launch a container instance into the first ECS cluster, choosing its
    /// instance profile: the role the ECS agent uses, and the one a task
    /// without a task role falls back to through IMDS (rules §4).
    fn view_launch(&self, ctx: &Context<Self>) -> Html {
        let world = &self.player.world;
        let Some(cluster) = world.clusters().next().cloned() else {
            return html! {};
        };
        let form = self.launch_form.clone();
        let kind = if form.instance_type.is_empty() {
            "m5.large".to_string()
        } else {
            form.instance_type.clone()
        };
        let az = if form.az.is_empty() {
            world.availability_zones()[0].clone()
        } else {
            form.az.clone()
        };
        let profiles: Vec<String> = world
            .roles()
            .filter(|r| r.trusts(dockyard_model::iam::EC2_SERVICE))
            .map(|r| r.arn.clone())
            .collect();
        let update = |apply: fn(&mut LaunchForm, String)| {
            let form = form.clone();
            ctx.link().callback(move |e: Event| {
                let mut next = form.clone();
                apply(&mut next, event_value(&e));
                Msg::LaunchForm(next)
            })
        };
        let launch = {
            let command = Command::LaunchInstances {
                cluster: cluster.clone(),
                instance_type: kind.clone(),
                az: az.clone(),
                count: 1,
                spot: form.spot,
                instance_role: (!form.role.is_empty()).then(|| form.role.clone()),
            };
            ctx.link()
                .callback(move |_| Msg::Do(Box::new(command.clone())))
        };
        html! {
            <fieldset class="new-role launch">
                <legend>{ format!("Launch a container instance into cluster {cluster}") }</legend>
                <label>{ "Type " }
                    <select name="launch-type" onchange={update(|f, v| f.instance_type = v)}>
                        { for dockyard_model::sim::catalogue::INSTANCE_TYPES.iter().map(|t| html! {
                            <option value={t.name} selected={kind == t.name}>{ format!("{} ({} vCPU, {} GiB)", t.name, t.vcpus, t.memory_mib / 1024) }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Zone " }
                    <select name="launch-az" onchange={update(|f, v| f.az = v)}>
                        { for world.availability_zones().iter().map(|z| html! { <option value={z.clone()} selected={*z == az}>{ z }</option> }) }
                    </select>
                </label>
                <label class="check"><input type="checkbox" name="launch-spot" checked={form.spot} onchange={update(|f, v| f.spot = v == "true")} />{ "Spot" }</label>
                <label>{ "Instance profile role " }
                    <select name="launch-profile" onchange={update(|f, v| f.role = v)}>
                        <option value="" selected={form.role.is_empty()}>{ "ecsInstanceRole (the standard one)" }</option>
                        { for profiles.iter().map(|arn| html! { <option value={arn.clone()} selected={form.role == *arn}>{ arn }</option> }) }
                    </select>
                </label>
                <button type="button" class="launch-instance" onclick={launch}>{ "Launch" }</button>
            </fieldset>
        }
    }

    /// The selected task's volumes and containers' own filesystems, where
    /// each lives and what is there; the learner can write a file.
    fn view_files(&self, ctx: &Context<Self>, task: &str) -> Html {
        let places = self.player.world.task_files(task);
        if places.is_empty() {
            return html! {};
        }
        let running = self
            .player
            .world
            .task(task)
            .is_some_and(|t| t.state == TaskState::Running);
        let on_volume = ctx
            .link()
            .callback(|e: Event| Msg::FileVolume(event_value(&e)));
        let on_path = ctx.link().callback(|e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Msg::FilePath(input.value())
        });
        let write = {
            let command = Command::WriteFile {
                task: task.to_string(),
                volume: (!self.file_volume.is_empty()).then(|| self.file_volume.clone()),
                container: None,
                path: self.file_path.clone(),
                contents: format!("written at {}", clock(self.player.now())),
            };
            ctx.link()
                .callback(move |_| Msg::Do(Box::new(command.clone())))
        };
        html! {
            <section class="task-files" aria-label="Files">
                <h3>{ "Files" }</h3>
                <ul class="file-places">
                    { for places.iter().map(|place| html! {
                        <li>
                            <strong>{ place.volume.clone().unwrap_or_else(|| "container filesystem".into()) }</strong>
                            { ": " }{ &place.location }
                            if place.paths.is_empty() {
                                <span class="muted">{ " (empty)" }</span>
                            } else {
                                <ul>{ for place.paths.iter().map(|p| html! { <li><code>{ p }</code></li> }) }</ul>
                            }
                        </li>
                    }) }
                </ul>
                if running {
                    <div class="write-file">
                        <select class="file-volume" aria-label="Where to write" onchange={on_volume}>
                            <option value="" selected={self.file_volume.is_empty()}>{ "container filesystem" }</option>
                            { for places.iter().filter_map(|p| p.volume.clone()).map(|v| html! {
                                <option value={v.clone()} selected={v == self.file_volume}>{ format!("volume {v}") }</option>
                            }) }
                        </select>
                        <input class="file-path" aria-label="Path" value={self.file_path.clone()} oninput={on_path} spellcheck="false" />
                        <button class="write" onclick={write}>{ "Write file" }</button>
                    </div>
                }
            </section>
        }
    }

    /// Who makes each call for the selected task, and the verdict (rules
    /// §4): the platform's calls, then one the learner types for the
    /// application.
    fn view_calls(&self, ctx: &Context<Self>, task: &str) -> Html {
        let app = dockyard_model::iam::AppCall::parse(&self.app_call);
        let app_calls: Vec<_> = app.iter().cloned().collect();
        let checks = self.player.world.task_calls(task, &app_calls);
        let on_input = ctx.link().callback(|e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Msg::AppCall(input.value())
        });
        html! {
            <section class="task-calls" aria-label="Who calls what">
                <h3>{ "Who calls what" }</h3>
                <label class="app-call">{ "The application calls: " }
                    <input value={self.app_call.clone()} oninput={on_input} spellcheck="false" />
                </label>
                if let Err(error) = &app {
                    <p class="call-error">{ error.to_string() }</p>
                }
                <ul class="calls">
                    { for checks.iter().map(|check| html! {
                        <li class={classes!("call", if check.is_allowed() { "allowed" } else { "denied" })}>
                            <strong>{ if check.is_allowed() { "Allowed" } else { "Denied" } }</strong>
                            { " " }{ &check.explanation }
                        </li>
                    }) }
                    if checks.is_empty() {
                        <li>{ "Nothing to decide until the task has somewhere to run." }</li>
                    }
                </ul>
            </section>
        }
    }

    /// What the learner may do to the selected thing, as model commands.
    fn actions(&self, id: &str) -> Vec<(&'static str, Command)> {
        let world = &self.player.world;
        let mut actions = Vec::new();
        if let Some(t) = world.task(id) {
            if t.state <= TaskState::Running {
                actions.push(("Stop task", Command::StopTask { task: id.into() }));
            }
        } else if let Some(i) = world.instances().find(|i| i.id == id) {
            actions.push((
                "Terminate instance",
                Command::TerminateInstance {
                    instance: id.into(),
                },
            ));
            if !i.draining {
                actions.push((
                    "Drain",
                    Command::DrainInstance {
                        instance: id.into(),
                    },
                ));
            }
            if i.spot {
                actions.push((
                    "Spot interruption",
                    Command::InterruptSpotInstance {
                        instance: id.into(),
                    },
                ));
            }
        } else if world.eks().nodes.contains_key(id) {
            actions.push(("Terminate node", Command::TerminateNode { node: id.into() }));
        }
        actions
    }

    /// Each service and EKS deployment with its desired count, which the
    /// learner can change.
    fn view_services(&self, ctx: &Context<Self>) -> Html {
        let world = &self.player.world;
        let services: Vec<(String, u32, bool)> = world
            .services()
            .map(|s| (s.name.clone(), s.desired, false))
            .chain(
                world
                    .eks()
                    .deployments
                    .values()
                    .map(|d| (d.name.clone(), d.replicas, true)),
            )
            .collect();
        if services.is_empty() {
            return html! {};
        }
        let change = |name: &str, to: u32, eks: bool| {
            let command = if eks {
                Command::ScaleDeployment {
                    deployment: name.into(),
                    replicas: to,
                }
            } else {
                Command::UpdateService {
                    service: name.into(),
                    desired_count: to,
                }
            };
            ctx.link()
                .callback(move |_| Msg::Do(Box::new(command.clone())))
        };
        html! {
            <ul class="services" aria-label="Services and deployments">
                { for services.iter().map(|(name, desired, eks)| {
                    let snapshot = world.service_snapshot(name);
                    html! {
                        <li>
                            <span class="service-name">{ if *eks { "Deployment " } else { "Service " } }<strong>{ name }</strong></span>
                            <button aria-label={format!("One fewer for {name}")} disabled={*desired == 0} onclick={change(name, desired.saturating_sub(1), *eks)}>{ "\u{2212}" }</button>
                            <span class="desired">{ format!("{desired} desired") }</span>
                            <button aria-label={format!("One more for {name}")} onclick={change(name, desired + 1, *eks)}>{ "+" }</button>
                            { snapshot.map(|s| html! { <span class="service-counts">{ format!("{} running, {} pending, CPU {:.0}%", s.running, s.pending, s.cpu_utilization) }</span> }).unwrap_or_default() }
                        </li>
                    }
                }) }
            </ul>
        }
    }

    /// Past a few hundred tasks and pods, state changes are drawn without
    /// animation: a thousand chips changing at 60x are a blur anyway, and
    /// animating them costs frames.
    fn crowded(&self) -> bool {
        const CROWDED: usize = 300;
        let world = &self.player.world;
        let live = world.instances().map(|i| i.tasks.len()).sum::<usize>() + world.eks().pods.len();
        live > CROWDED
    }

    /// A task as a chip's data.
    fn task_chip(&self, t: &dockyard_model::sim::Task) -> ChipView {
        let spot = matches!(t.placement, Placement::Fargate { spot: true, .. });
        ChipView {
            id: t.id.clone(),
            class: state_class(t.state),
            spot,
            label: format!(
                "{} {:?}{}",
                t.id,
                t.state,
                t.service
                    .as_ref()
                    .map_or(String::new(), |s| format!(", service {s}"))
            ),
        }
    }

    /// The selected id, if it is among `ids`: a box re-renders only when
    /// the selection enters or leaves it.
    fn selected_in<'a>(&self, mut ids: impl Iterator<Item = &'a str>) -> Option<String> {
        let selected = self.selected.as_deref()?;
        ids.any(|id| id == selected).then(|| selected.to_string())
    }

    fn view_ecs(&self, ctx: &Context<Self>) -> Html {
        let world = &self.player.world;
        let tasks: Vec<_> = world
            .tasks()
            .filter(|t| t.state != TaskState::Stopped)
            .collect();
        let has_ecs = world.instances().next().is_some() || !tasks.is_empty();
        if !has_ecs {
            return html! {};
        }
        let mut fargate: BTreeMap<&str, Vec<_>> = BTreeMap::new();
        let mut waiting = Vec::new();
        for task in &tasks {
            match &task.placement {
                Placement::Fargate { az, .. } => {
                    fargate.entry(az.as_str()).or_default().push(*task)
                }
                Placement::AwaitingCapacity { .. } => waiting.push(*task),
                Placement::Ec2 { .. } => {}
            }
        }
        let lane = |label: String, class: &'static str, tasks: &[&dockyard_model::sim::Task]| {
            let chips: Vec<ChipView> = tasks.iter().map(|t| self.task_chip(t)).collect();
            let selected = self.selected_in(chips.iter().map(|c| c.id.as_str()));
            html! { <ChipLane label={label} class={class} chips={chips} selected={selected} on_select={self.on_select.clone()} /> }
        };
        html! {
            <div class="ecs-view">
                <h2>{ "ECS" }</h2>
                <div class="lanes">
                { for world.availability_zones().iter().map(|az| {
                    let lost = world.lost_azs().contains(az);
                    let zone = az.clone();
                    let command = if lost { Command::RestoreAz { az: zone } } else { Command::LoseAz { az: zone } };
                    html! {
                        <div class={classes!("az-lane", lost.then_some("lost"))} aria-label={format!("Availability Zone {az}")}>
                            <h3>{ az }{ if lost { " (lost)" } else { "" } }
                                if !self.following {
                                    <button class="zone-action" onclick={ctx.link().callback(move |_| Msg::Do(Box::new(command.clone())))}>
                                        { if lost { "Restore" } else { "Lose zone" } }
                                    </button>
                                }
                            </h3>
                            { for world.instances().filter(|i| &i.az == az).map(|i| {
                                let chips: Vec<ChipView> = i.tasks.iter().filter_map(|t| world.task(t)).map(|t| self.task_chip(t)).collect();
                                let selected = self.selected_in(std::iter::once(i.id.as_str()).chain(chips.iter().map(|c| c.id.as_str())));
                                let status = if !i.registered { " booting" } else if i.draining { " DRAINING" } else { "" };
                                let view = MachineView {
                                    id: i.id.clone(),
                                    kind: i.instance_type,
                                    note: format!("{}{status}", if i.spot { " Spot" } else { "" }),
                                    node: false,
                                    faded: !i.registered,
                                    draining: i.draining,
                                    cpu: (i.cpu_used, i.cpu_total),
                                    memory: (i.memory_used, i.memory_total),
                                    chips,
                                };
                                html! { <MachineBox key={i.id.clone()} view={view} selected={selected} on_select={self.on_select.clone()} /> }
                            }) }
                            if let Some(tasks) = fargate.get(az.as_str()) {
                                { lane("Fargate".into(), "fargate-lane", tasks) }
                            }
                        </div>
                    }
                }) }
                </div>
                if !waiting.is_empty() {
                    { lane(format!("Waiting for capacity ({})", waiting.len()), "waiting-lane", &waiting) }
                }
            </div>
        }
    }

    fn view_eks(&self, _ctx: &Context<Self>) -> Html {
        let eks = self.player.world.eks();
        if eks.nodes.is_empty() && eks.pods.is_empty() {
            return html! {};
        }
        let pod_chip = |p: &dockyard_model::sim::eks::Pod| ChipView {
            id: p.name.clone(),
            class: phase_class(p.phase),
            spot: false,
            label: format!("{} {:?}", p.name, p.phase),
        };
        let lane = |label: String, class: &'static str, chips: Vec<ChipView>| {
            let selected = self.selected_in(chips.iter().map(|c| c.id.as_str()));
            html! { <ChipLane label={label} class={class} chips={chips} selected={selected} on_select={self.on_select.clone()} /> }
        };
        let fargate: Vec<ChipView> = eks
            .pods
            .values()
            .filter(|p| matches!(p.placement, PodPlacement::Fargate { .. }))
            .map(pod_chip)
            .collect();
        let pending: Vec<ChipView> = eks
            .pods
            .values()
            .filter(|p| matches!(p.placement, PodPlacement::Unscheduled))
            .map(pod_chip)
            .collect();
        html! {
            <div class="eks-view">
                <h2>{ "EKS" }</h2>
                <div class="lanes">
                { for self.player.world.availability_zones().iter().map(|az| html! {
                    <div class="az-lane" aria-label={format!("Availability Zone {az}")}>
                        <h3>{ az }</h3>
                        { for eks.nodes.values().filter(|n| &n.az == az).map(|n| {
                            let chips: Vec<ChipView> = n.pods.iter().filter_map(|p| eks.pods.get(p)).map(pod_chip).collect();
                            let selected = self.selected_in(std::iter::once(n.name.as_str()).chain(chips.iter().map(|c| c.id.as_str())));
                            let view = MachineView {
                                id: n.name.clone(),
                                kind: n.instance_type,
                                note: if n.ready { String::new() } else { " not ready".into() },
                                node: true,
                                faded: !n.ready,
                                draining: false,
                                cpu: (n.requested_cpu, n.allocatable_cpu),
                                memory: (n.requested_memory, n.allocatable_memory),
                                chips,
                            };
                            html! { <MachineBox key={n.name.clone()} view={view} selected={selected} on_select={self.on_select.clone()} /> }
                        }) }
                    </div>
                }) }
                </div>
                if !fargate.is_empty() {
                    { lane("Fargate pods".into(), "fargate-lane", fargate) }
                }
                if !pending.is_empty() {
                    { lane(format!("Pending ({})", pending.len()), "waiting-lane", pending) }
                }
            </div>
        }
    }

    fn view_selected(&self, ctx: &Context<Self>) -> Html {
        let Some(id) = &self.selected else {
            return html! { <p class="hint">{ "Select an instance, task, node or pod to see its state, why it is where it is, and what happened to it." }</p> };
        };
        let world = &self.player.world;
        let mut facts: Vec<(String, String)> = Vec::new();
        if let Some(t) = world.task(id) {
            facts.push(("State".into(), format!("{:?}", t.state)));
            if let Some(s) = &t.service {
                facts.push(("Service".into(), s.clone()));
            }
            facts.push(("Task definition".into(), t.revision.clone()));
            facts.push((
                "Size".into(),
                format!("{} CPU units, {} MiB", t.cpu, t.memory),
            ));
            facts.push(("Why here".into(), t.reason.clone()));
            if let Some(r) = &t.stopped_reason {
                facts.push(("Stopped because".into(), r.clone()));
            }
        } else if let Some(i) = world.instances().find(|i| &i.id == id) {
            facts.push((
                "Type".into(),
                format!("{}{}", i.instance_type, if i.spot { " (Spot)" } else { "" }),
            ));
            facts.push(("Zone".into(), i.az.clone()));
            facts.push((
                "Status".into(),
                if i.draining {
                    "DRAINING".into()
                } else if i.registered {
                    "ACTIVE".into()
                } else {
                    "booting".into()
                },
            ));
            facts.push((
                "Reserved".into(),
                format!(
                    "{} / {} CPU units, {} / {} MiB",
                    i.cpu_used, i.cpu_total, i.memory_used, i.memory_total
                ),
            ));
            facts.push((
                "Tasks".into(),
                i.tasks.iter().cloned().collect::<Vec<_>>().join(", "),
            ));
        } else if let Some(p) = world.eks().pods.get(id) {
            facts.push(("Phase".into(), format!("{:?}", p.phase)));
            facts.push((
                "Requests".into(),
                format!("{}m CPU, {} MiB", p.cpu, p.memory),
            ));
            if let Some((_, why)) = &p.pending {
                facts.push(("Pending because".into(), why.clone()));
            }
        } else if let Some(n) = world.eks().nodes.get(id) {
            facts.push(("Group".into(), n.group.clone()));
            facts.push((
                "Requested".into(),
                format!(
                    "{} / {}m CPU, {} / {} MiB",
                    n.requested_cpu, n.allocatable_cpu, n.requested_memory, n.allocatable_memory
                ),
            ));
        } else {
            facts.push((
                "Gone".into(),
                format!("{id} no longer exists at this time."),
            ));
        }
        let calls = world.task(id).map(|_| self.view_calls(ctx, id));
        let files = world.task(id).map(|_| self.view_files(ctx, id));
        let recent: Vec<_> = self
            .player
            .events
            .iter()
            .rev()
            .filter(|e| mentions(&e.what.describe(), id))
            .take(8)
            .collect();
        html! {
            <>
                <h2>{ id }</h2>
                <dl>{ for facts.into_iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd>{ v }</dd></> }) }</dl>
                { files.unwrap_or_default() }
                { calls.unwrap_or_default() }
                <div class="actions">{ for self.actions(id).into_iter().map(|(label, command)| html! {
                    <button onclick={ctx.link().callback(move |_| Msg::Do(Box::new(command.clone())))}>{ label }</button>
                }) }</div>
                <h3>{ "Recent events" }</h3>
                <ol>{ for recent.iter().map(|e| html! { <li><time>{ clock(e.at) }</time>{ " " }{ e.what.describe() }</li> }) }</ol>
                <button class="deselect" onclick={ctx.link().callback(|_| Msg::Select(None))}>{ "Close" }</button>
            </>
        }
    }

    /// Running, desired and pending (tasks and pods) and the bill per minute.
    fn view_chart(&self) -> Html {
        let timeline = &self.player.timeline;
        let minutes = (self.scenario.until / 60).max(1) as f64;
        let series =
            |f: &dyn Fn(&dockyard_model::sim::scenario::Sample) -> f64| -> Vec<(f64, f64)> {
                timeline
                    .iter()
                    .map(|s| (s.at as f64 / 60_000.0, f(s)))
                    .collect()
            };
        let desired = series(&|s| {
            f64::from(s.services.iter().map(|x| x.desired).sum::<u32>())
                + f64::from(s.deployments.iter().map(|d| d.replicas).sum::<u32>())
        });
        let running = series(&|s| f64::from(s.tasks_running + s.pods_running));
        let pending = series(&|s| f64::from(s.tasks_pending + s.pods_pending));
        let machines = series(&|s| f64::from(s.instances_total + s.nodes_total));
        let cost = series(&|s| s.cost);
        let top = [&desired, &running, &pending, &machines]
            .iter()
            .flat_map(|v| v.iter().map(|p| p.1))
            .fold(1.0, f64::max);
        let top_cost = cost.iter().map(|p| p.1).fold(0.0001, f64::max);
        let (w, h) = (600.0, 160.0);
        let line = |points: &[(f64, f64)], scale: f64| -> String {
            points
                .iter()
                .map(|(x, y)| format!("{:.1},{:.1}", x / minutes * w, h - y / scale * (h - 10.0)))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let last = timeline.last();
        html! {
            <figure class="timeline-chart">
                <svg viewBox={format!("0 0 {w} {h}")} preserveAspectRatio="none" role="img" aria-label="Tasks and pods over time, and the bill">
                    <polyline class="series desired" points={line(&desired, top)} />
                    <polyline class="series running" points={line(&running, top)} />
                    <polyline class="series pending" points={line(&pending, top)} />
                    <polyline class="series machines" points={line(&machines, top)} />
                    <polyline class="series cost" points={line(&cost, top_cost)} />
                </svg>
                <figcaption>
                    <span class="key desired">{ "desired" }</span>
                    <span class="key running">{ "running" }</span>
                    <span class="key pending">{ "pending" }</span>
                    <span class="key machines">{ "instances and nodes" }</span>
                    <span class="key cost">{ "cost (own scale)" }</span>
                    { last.map(|s| format!(" · at {}: {} running, {} pending, ${:.4}", clock(s.at), s.tasks_running + s.pods_running, s.tasks_pending + s.pods_pending, s.cost)).unwrap_or_default() }
                </figcaption>
            </figure>
        }
    }
}

/// Whether an event's words name `id` as a whole word (t-1 is not t-12).
fn mentions(text: &str, id: &str) -> bool {
    text.match_indices(id).any(|(at, _)| {
        let after = text[at + id.len()..].chars().next();
        let before = text[..at].chars().next_back();
        !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
            && !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

fn percent(used: u32, total: u32) -> u32 {
    if total == 0 {
        0
    } else {
        (u64::from(used) * 100 / u64::from(total)) as u32
    }
}

fn state_class(state: TaskState) -> &'static str {
    match state {
        TaskState::Provisioning => "task state-provisioning",
        TaskState::Pending => "task state-pending",
        TaskState::Activating => "task state-activating",
        TaskState::Running => "task state-running",
        TaskState::Deactivating | TaskState::Stopping | TaskState::Deprovisioning => {
            "task state-stopping"
        }
        TaskState::Stopped => "task state-stopped",
    }
}

fn phase_class(phase: PodPhase) -> &'static str {
    match phase {
        PodPhase::Pending => "pod phase-pending",
        PodPhase::ContainerCreating => "pod phase-activating",
        PodPhase::Running => "pod phase-running",
        PodPhase::Terminating => "pod phase-stopping",
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

/// A task or pod as drawn: compared between renders, so that a machine whose
/// tasks did not change is not drawn again (a thousand chips at 60x).
#[derive(Clone, PartialEq)]
pub struct ChipView {
    id: String,
    class: &'static str,
    spot: bool,
    label: String,
}

/// An EC2 container instance or an EKS node as drawn.
#[derive(Clone, PartialEq)]
pub struct MachineView {
    id: String,
    kind: &'static str,
    note: String,
    node: bool,
    faded: bool,
    draining: bool,
    /// (used, total) CPU units and MiB: reserved on ECS, requested on EKS.
    cpu: (u32, u32),
    memory: (u32, u32),
    chips: Vec<ChipView>,
}

#[derive(Properties, PartialEq)]
struct MachineProps {
    view: MachineView,
    /// The selected id when it is this machine or one of its chips.
    selected: Option<String>,
    on_select: Callback<Option<String>>,
}

#[function_component(MachineBox)]
fn machine_box(props: &MachineProps) -> Html {
    let v = &props.view;
    let is_selected = props.selected.as_deref() == Some(v.id.as_str());
    let (cpu, memory) = (percent(v.cpu.0, v.cpu.1), percent(v.memory.0, v.memory.1));
    let what = if v.node { "requested" } else { "reserved" };
    let id = v.id.clone();
    let on_select = props.on_select.clone();
    html! {
        <div class={classes!("instance", v.node.then_some("node"), v.faded.then_some("booting"), v.draining.then_some("draining"), is_selected.then_some("selected"))}>
            <button class="instance-name" aria-pressed={is_selected.to_string()}
                onclick={Callback::from(move |_| on_select.emit(Some(id.clone())))}>
                { &v.id }{ " " }<span class="type">{ v.kind }</span>{ &v.note }
            </button>
            <div class="meter" title={format!("CPU: {} of {} units {what}", v.cpu.0, v.cpu.1)}>
                <span class="fill cpu" style={format!("transform:scaleX({})", f64::from(cpu) / 100.0)}></span><span class="meter-label">{ format!("CPU {cpu}%") }</span>
            </div>
            <div class="meter" title={format!("Memory: {} of {} MiB {what}", v.memory.0, v.memory.1)}>
                <span class="fill memory" style={format!("transform:scaleX({})", f64::from(memory) / 100.0)}></span><span class="meter-label">{ format!("memory {memory}%") }</span>
            </div>
            <div class="chips">{ for v.chips.iter().map(|c| chip(c, props.selected.as_deref(), &props.on_select)) }</div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LaneProps {
    label: String,
    class: &'static str,
    chips: Vec<ChipView>,
    selected: Option<String>,
    on_select: Callback<Option<String>>,
}

#[function_component(ChipLane)]
fn chip_lane(props: &LaneProps) -> Html {
    html! {
        <div class={props.class}>
            <span class="lane-label">{ &props.label }</span>
            <div class="chips">{ for props.chips.iter().map(|c| chip(c, props.selected.as_deref(), &props.on_select)) }</div>
        </div>
    }
}

fn chip(c: &ChipView, selected: Option<&str>, on_select: &Callback<Option<String>>) -> Html {
    let is_selected = selected == Some(c.id.as_str());
    let (id, on_select) = (c.id.clone(), on_select.clone());
    html! {
        <button key={c.id.clone()}
            class={classes!("chip", c.class, c.spot.then_some("spot"), is_selected.then_some("selected"))}
            aria-label={c.label.clone()} aria-pressed={is_selected.to_string()}
            onclick={Callback::from(move |_| on_select.emit(Some(id.clone())))}>
            { &c.id }
        </button>
    }
}
