//! Registries: ECR repositories the learner creates and pushes to, with tag
//! immutability and basic scans as ECR answers them, and Docker Hub beside
//! them (pushes to the learner's own namespace, and its pull limits). Every answer, error included, is the model's
//! (`registry::desk::Desk`, which keeps the work as replayable actions);
//! this page keeps it with its forms behind `use_reducer`, draws it, and
//! saves it in localStorage (`restore`, `save` and `forget` hold every
//! storage call). A registry lesson
//! (`#/lesson/ID` for a lesson that works on the registry) opens this page
//! at the lesson's start, with the lesson beside it, and keeps its work
//! apart from the free registry. Its terminal (`registries/shell.rs`)
//! speaks `aws ecr` and `docker` to the same desk: what a command does is
//! saved and judged as a button's.

use dockyard_course::lessons::{self, Answer, Lesson};
use dockyard_course::storage::{Key, Load};
use dockyard_model::registry::desk::{self, counts, short, Desk};
use dockyard_model::registry::docker_hub::{
    ANONYMOUS_PULLS_PER_WINDOW, DOCKER_HUB_LIMITS_AS_OF, FREE_ACCOUNT_PULLS_PER_WINDOW,
    WINDOW_WORDS,
};
use dockyard_model::registry::hub::DOCKER_ID;
use dockyard_model::registry::{Image, Repository};
use dockyard_model::sim::World;
use dockyard_terminal::DockerEngine;
use yew::prelude::*;

use super::reducer::{Machine, Owned};
use super::terminal::{Request, SharedPort, Terminal};
use crate::storage;

mod shell;

#[derive(Properties, PartialEq)]
pub struct RegistriesProps {
    /// A registry lesson's id: the page starts at the lesson's start (or
    /// where the learner left it) and shows the lesson beside the registry.
    #[prop_or_default]
    pub lesson: Option<AttrValue>,
}

/// The lesson this page works on, if any: it says where the work is kept
/// and the registry to start from.
struct Place {
    /// Shared with the lesson panel, which compares it by identity.
    lesson: Option<&'static Lesson>,
}

impl Place {
    fn of(lesson: Option<&str>) -> Place {
        Place {
            lesson: lesson.and_then(lessons::lesson),
        }
    }

    /// Where this page's work is kept: a lesson's apart from the free registry's.
    fn key(&self) -> Key<'_> {
        match &self.lesson {
            Some(lesson) => Key::Lesson(&lesson.id),
            None => Key::Registries,
        }
    }

    fn start(&self) -> Desk {
        match self.lesson.and_then(Lesson::registry) {
            Some(work) => work.start_desk(),
            None => Desk::new(),
        }
    }

    /// Marks the lesson done when the registry meets its goal.
    fn judge(&self, desk: &Desk) {
        if let Some(lesson) = &self.lesson {
            if lessons::all_met(&lesson.judge_registry(desk)) {
                super::mark_done(&lesson.id);
            }
        }
    }
}

/// The saved work, or the start and why the saved work was set aside (it
/// is kept under a backup key, never silently lost). A lesson's save must
/// begin with the lesson's own start.
fn restore(place: &Place) -> (Desk, Option<(bool, String)>) {
    let start = place.lesson.and_then(Lesson::registry).map(|w| &w.start);
    let read = |raw: &str| {
        Desk::from_json(raw).and_then(|desk| match start {
            Some(start) if !desk.actions().starts_with(start) => {
                Err("it does not begin with this lesson's start".to_string())
            }
            _ => Ok(desk),
        })
    };
    match storage::load(place.key(), read) {
        Load::Found(desk) => (desk, None),
        Load::SetAside(notice) => (place.start(), Some((false, notice))),
        Load::Absent | Load::Refused(_) => (place.start(), None),
    }
}

/// What follows a change the registry accepted, from a button or the
/// terminal alike: the work is saved and the lesson judged.
fn accepted(place: &Place, desk: &Desk) {
    save(place, desk);
    place.judge(desk);
}

/// Keeps the work after a change the registry accepted.
fn save(place: &Place, desk: &Desk) {
    // Storage can be full or refused; the work then lives only in the page.
    let _ = storage::save(place.key(), &desk.to_json());
}

/// Forgets the work: the page is back at its start.
fn forget(place: &Place) {
    storage::forget(place.key());
}

/// A moment on the desk's clock, in words.
fn when(at: u64) -> String {
    format!("day {}, {:02}:00", at / 86_400 + 1, at % 86_400 / 3600)
}

/// One image's row, as ECR and Docker Hub both list it: its digest, its
/// tags and when it arrived, then whatever else the registry shows.
fn image_row(repository: &Repository, image: &Image, more: Html) -> Html {
    let tags = repository.tags_of(&image.digest).join(", ");
    html! {
        <tr>
            <td><code>{ short(&image.digest) }</code></td>
            <td>{ if tags.is_empty() { "(untagged)".to_string() } else { tags } }</td>
            <td>{ when(image.pushed_at) }</td>
            { more }
        </tr>
    }
}

/// The repository the push form starts on: the first there is, if any.
fn first_repository(desk: &Desk) -> String {
    desk.registry
        .repositories()
        .next()
        .map(|r| r.name().to_string())
        .unwrap_or_default()
}

/// A field of the page's forms.
#[derive(Clone, Copy)]
enum Field {
    Name,
    Immutable,
    ScanOnPush,
    PushRepository,
    /// Where `docker push` goes: "ecr" or "hub".
    Target,
    HubRepository,
    Tag,
    Content,
}

/// What the learner does on the page.
enum Action {
    /// What the learner typed or chose in a field.
    Set(Field, String),
    Create,
    Push,
    NextDay,
    Reset,
    Scan {
        repository: String,
        digest: String,
    },
    /// What the terminal asks: run what was typed (or pasted), complete.
    Terminal(Request),
}

/// What the forms hold, as the learner typed it ("true" or "false" for a
/// checkbox).
struct Form {
    name: String,
    immutable: String,
    scan_on_push: String,
    push_repository: String,
    target: String,
    hub_repository: String,
    tag: String,
    content: String,
}

/// The page's state: the registries (the model's desk) and the forms.
struct RegistriesState {
    place: Place,
    desk: Desk,
    /// What the registry answered last, or why the saved work was set
    /// aside: (accepted, words).
    message: Option<(bool, String)>,
    form: Form,
    /// Docker's local images and logins: what this tab's terminal built,
    /// not saved (as a laptop's Docker is not part of the registry).
    docker: DockerEngine,
    /// The account as `aws` sees it here: no ECS resources.
    world: World,
    /// The terminal's transcript and the commands typed.
    terminal: SharedPort,
}

impl RegistriesState {
    fn new(lesson: Option<&str>) -> RegistriesState {
        let place = Place::of(lesson);
        let (desk, message) = restore(&place);
        place.judge(&desk);
        let form = Form {
            name: "shop/web".into(),
            immutable: "true".into(),
            scan_on_push: "true".into(),
            push_repository: first_repository(&desk),
            target: "ecr".into(),
            hub_repository: format!("{DOCKER_ID}/web"),
            tag: "v1".into(),
            content: "web build 1".into(),
        };
        RegistriesState {
            place,
            desk,
            message,
            form,
            docker: DockerEngine::default(),
            world: shell::empty_world(),
            terminal: SharedPort::default(),
        }
    }

    /// Applies one action, says what ECR answered, saves the work, and
    /// judges the lesson, if there is one.
    fn apply(&mut self, action: desk::Action) -> bool {
        let result = self.desk.apply(action);
        let done = result.is_ok();
        if done {
            accepted(&self.place, &self.desk);
        }
        self.message = Some(match result {
            Ok(words) => (true, words),
            Err(error) => (false, error),
        });
        done
    }
}

impl Machine for RegistriesState {
    type Action = Action;

    fn update(&mut self, action: Action) -> bool {
        let form = &mut self.form;
        match action {
            Action::Set(field, value) => {
                *match field {
                    Field::Name => &mut form.name,
                    Field::Immutable => &mut form.immutable,
                    Field::ScanOnPush => &mut form.scan_on_push,
                    Field::PushRepository => &mut form.push_repository,
                    Field::Target => &mut form.target,
                    Field::HubRepository => &mut form.hub_repository,
                    Field::Tag => &mut form.tag,
                    Field::Content => &mut form.content,
                } = value;
            }
            Action::Create => {
                let name = form.name.clone();
                let action = desk::Action::CreateRepository {
                    name: name.clone(),
                    immutable: form.immutable == "true",
                    scan_on_push: form.scan_on_push == "true",
                };
                if self.apply(action) {
                    self.form.push_repository = name;
                }
            }
            Action::Push => {
                let (tag, content) = (form.tag.clone(), form.content.clone());
                let action = if form.target == "hub" {
                    desk::Action::PushToDockerHub {
                        repository: form.hub_repository.clone(),
                        tag,
                        content,
                    }
                } else {
                    desk::Action::Push {
                        repository: form.push_repository.clone(),
                        tag,
                        content,
                    }
                };
                self.apply(action);
            }
            Action::NextDay => {
                self.apply(desk::Action::Wait { hours: 24 });
            }
            Action::Scan { repository, digest } => {
                self.apply(desk::Action::Scan { repository, digest });
            }
            Action::Terminal(Request::Complete(line)) => {
                self.terminal.borrow_mut().completion =
                    shell::complete(&self.desk, &self.docker, &self.world, &line);
                return false;
            }
            Action::Terminal(Request::Run(text)) => {
                self.message = None;
                let place = &self.place;
                let after = |desk: &Desk| accepted(place, desk);
                let ran = shell::run(&mut self.desk, &mut self.docker, &self.world, &after, &text);
                let mut port = self.terminal.borrow_mut();
                port.remember(ran.iter().map(|entry| entry.command.clone()));
                port.record(ran);
                drop(port);
                // A repository the terminal made is one the push form can choose.
                if self.form.push_repository.is_empty() {
                    self.form.push_repository = first_repository(&self.desk);
                }
            }
            Action::Reset => {
                let start = self.place.start();
                // The push form must not keep naming a repository that is gone.
                form.push_repository = first_repository(&start);
                self.desk = start;
                forget(&self.place);
                self.message = Some((
                    true,
                    if self.place.lesson.is_some() {
                        "The registry is back at the lesson's start."
                    } else {
                        "The registry is empty again."
                    }
                    .into(),
                ));
            }
        }
        true
    }
}

#[function_component(Registries)]
pub fn registries(props: &RegistriesProps) -> Html {
    // The page is keyed by lesson (app.rs), so its place never changes.
    let state = use_reducer(|| Owned::new(RegistriesState::new(props.lesson.as_deref())));
    let send = state.dispatcher().to_callback();
    let field =
        |field: Field| send.reform(move |e: Event| Action::Set(field, super::event_value(&e)));
    let this = state.get();
    let (place, form, message) = (&this.place, &this.form, &this.message);
    let on_create = send.reform(|_: MouseEvent| Action::Create);
    let on_push = send.reform(|_: MouseEvent| Action::Push);
    let on_day = send.reform(|_: MouseEvent| Action::NextDay);
    let on_reset = send.reform(|_: MouseEvent| Action::Reset);
    let desk_ref = &this.desk;
    let (registry_ref, now) = (&desk_ref.registry, desk_ref.now);
    let repositories: Vec<_> = registry_ref.repositories().collect();
    let hub_repositories: Vec<_> = desk_ref.hub.repositories().collect();
    let scan = |repository: String, digest: String| {
        let onclick = send.reform(move |_: MouseEvent| Action::Scan {
            repository: repository.clone(),
            digest: digest.clone(),
        });
        html! { <button type="button" class="scan-now" {onclick}>{ "Scan" }</button> }
    };
    html! {
        <main class="editor-page registries-page" id="main" tabindex="-1" aria-labelledby="notes-heading">
            <h1 id="notes-heading" tabindex="-1">{ "Registries" }</h1>
            <p class="panel-lead">
                { format!("Amazon ECR in account 111122223333, us-east-1 ({}), and Docker Hub as {DOCKER_ID}. Simulated time: {}. Each push takes an hour. Your work is saved in this browser.", registry_ref.host(), when(now)) }
                { " " }<button type="button" class="next-day" onclick={on_day}>{ "+1 day" }</button>
                { " " }<button type="button" class="reset-registry" onclick={on_reset}>{ "Start again" }</button>
            </p>
            if let Some(lesson) = &place.lesson {
                <super::LessonPanel lesson={*lesson} judged={lesson.judge_registry(desk_ref)}
                    answer={lesson_answer(lesson, desk_ref)} />
            }
            if let Some((ok, text)) = message {
                <p class={classes!("sandbox-message", ok.then_some("ok"))} role="status">{ text }</p>
            }
            <Terminal port={this.terminal.clone()} version={this.terminal.borrow().version}
                on_request={send.reform(Action::Terminal)}
                example={AttrValue::Static("aws ecr describe-repositories")} />
            <div class="editor-columns">
                <section aria-label="Create a repository" class="editor-form">
                    <h2>{ "Create a repository" }</h2>
                    <label>{ "Name" }<input name="repository-name" value={form.name.clone()} onchange={field(Field::Name)} /></label>
                    <label class="check"><input type="checkbox" name="immutable" checked={form.immutable == "true"} onchange={field(Field::Immutable)} />{ "Tag immutability (IMMUTABLE)" }</label>
                    <label class="check"><input type="checkbox" name="scan-on-push" checked={form.scan_on_push == "true"} onchange={field(Field::ScanOnPush)} />{ "Scan on push (basic scanning)" }</label>
                    <button type="button" class="create" onclick={on_create}>{ "Create repository" }</button>
                    <h2>{ "Push an image" }</h2>
                    <label>{ "Registry" }
                        <select name="push-target" onchange={field(Field::Target)}>
                            <option value="ecr" selected={form.target == "ecr"}>{ "Amazon ECR (private)" }</option>
                            <option value="hub" selected={form.target == "hub"}>{ format!("Docker Hub (signed in as {DOCKER_ID})") }</option>
                        </select>
                    </label>
                    if form.target == "hub" {
                        <label>{ "Repository (NAMESPACE/NAME)" }<input name="hub-repository" value={form.hub_repository.clone()} onchange={field(Field::HubRepository)} /></label>
                    } else {
                        <label>{ "Repository" }
                            <select name="push-repository" onchange={field(Field::PushRepository)}>
                                <option value="" selected={form.push_repository.is_empty()}>{ "(choose)" }</option>
                                { for repositories.iter().map(|r| html! { <option value={r.name().to_string()} selected={form.push_repository == r.name()}>{ r.name() }</option> }) }
                            </select>
                        </label>
                    }
                    <label>{ "Tag" }<input name="tag" value={form.tag.clone()} onchange={field(Field::Tag)} /></label>
                    <label>{ "Image content (change it to build a different image: the digest is its SHA-256)" }<input name="content" value={form.content.clone()} onchange={field(Field::Content)} /></label>
                    <button type="button" class="push" onclick={on_push}>{ "docker push" }</button>
                    <h2>{ "Docker Hub" }</h2>
                    <p class="panel-lead">
                        { format!("You push to your own namespace ({DOCKER_ID}/NAME); a bare name such as web means library/web, Docker's official images. The first push creates the repository, public by default. Pulls are rate limited: {ANONYMOUS_PULLS_PER_WINDOW} per {WINDOW_WORDS} per IPv4 address (or IPv6 /64) without signing in, {FREE_ACCOUNT_PULLS_PER_WINDOW} per {WINDOW_WORDS} for a free account (Docker's figures as of {DOCKER_HUB_LIMITS_AS_OF}). Tasks behind one NAT gateway share its address. Copy public images to ECR, or use ECR Public, to avoid it.") }
                    </p>
                </section>
                <section aria-label="Repositories" class="repositories">
                    <h2>{ "Amazon ECR" }</h2>
                    if repositories.is_empty() {
                        <p class="panel-lead">{ "None yet." }</p>
                    }
                    { for repositories.iter().map(|r| html! {
                        <article class="repository">
                            <h3>{ r.name() }<span class="muted">{ format!(" {} · scan on push {}", r.settings().tag_mutability.as_str(), if r.settings().scan_on_push { "on" } else { "off" }) }</span></h3>
                            <p class="muted uri">{ registry_ref.repository_uri(r.name()) }</p>
                            <table class="compare-table images" tabindex="0">
                                <thead><tr><th scope="col">{ "Digest" }</th><th scope="col">{ "Tags" }</th><th scope="col">{ "Pushed" }</th><th scope="col">{ "Scan findings" }</th><th scope="col">{ "Action" }</th></tr></thead>
                                <tbody>
                                { for r.images().map(|image| image_row(r, image, html! { <>
                                    <td class="scan">{ image.scan.as_ref().map(counts).unwrap_or_else(|| "not scanned".into()) }</td>
                                    <td>{ scan(r.name().to_string(), image.digest.clone()) }</td>
                                </> })) }
                                </tbody>
                            </table>
                        </article>
                    }) }
                    <p class="muted">{ "Scan findings are illustrative: real ones depend on the image's packages." }</p>
                    if !hub_repositories.is_empty() {
                        <h2>{ "Docker Hub" }</h2>
                        { for hub_repositories.iter().map(|r| html! {
                            <article class="repository hub-repository">
                                <h3>{ r.name() }<span class="muted">{ " public · tags mutable" }</span></h3>
                                <p class="muted uri">{ format!("docker.io/{}", r.name()) }</p>
                                <table class="compare-table images" tabindex="0">
                                    <thead><tr><th scope="col">{ "Digest" }</th><th scope="col">{ "Tags" }</th><th scope="col">{ "Pushed" }</th></tr></thead>
                                    <tbody>
                                    { for r.images().map(|image| image_row(r, image, Html::default())) }
                                    </tbody>
                                </table>
                            </article>
                        }) }
                    }
                </section>
            </div>
        </main>
    }
}

/// A registry lesson's answer: the actions taken since its start.
fn lesson_answer(lesson: &Lesson, desk: &Desk) -> Answer {
    let start = lesson.registry().map_or(0, |work| work.start.len());
    Answer::Actions(desk.actions().get(start..).unwrap_or_default().to_vec())
}
