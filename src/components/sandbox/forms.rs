//! The sandbox's forms and inspector: what the learner types (a command as
//! JSON, a new role, an instance to launch, a file to write, a call the
//! application makes) and the panel about the selected thing, each turning
//! into one of the model's commands. The typed text lives here between
//! renders; the commands go to the sandbox's `SessionPlayer`.

use dockyard_course::chapters::chapter;
use dockyard_model::sim::scenario::Step;
use dockyard_model::sim::why::{self, Cause};
use dockyard_model::sim::{clock, Command, TaskState};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{Action, Place, SandboxState};
use crate::components::event_value;

/// What the learner chose in the launch-an-instance form.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct LaunchForm {
    pub instance_type: String,
    pub az: String,
    pub spot: bool,
    /// ECS_ENABLE_SPOT_INSTANCE_DRAINING=true in the agent's config (Spot only).
    pub spot_draining: bool,
    /// The instance profile's role ARN; empty for the standard ecsInstanceRole.
    pub role: String,
}

/// What the learner is typing into the new-role form.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RoleForm {
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

/// What the learner has typed into the forms, kept between renders.
pub(crate) struct Forms {
    /// A call of the application's own, tried against the selected task.
    app_call: String,
    /// Where and what the selected task writes ("" is the container's own
    /// filesystem).
    file_volume: String,
    file_path: String,
    role_form: RoleForm,
    launch_form: LaunchForm,
    /// Any command, written as JSON (`{"do": "createService", ...}`).
    command_text: String,
    /// The open file's text as typed, until it is saved (path, text): the
    /// editor shows it over the saved text, which each tick would redraw.
    file_draft: Option<(String, String)>,
}

/// A change to one of the forms.
pub(crate) enum FormMsg {
    AppCall(String),
    FileVolume(String),
    FilePath(String),
    /// The new-role form: name, trusted service, managed policies, JSON.
    Role(Box<dyn FnOnce(&mut RoleForm)>),
    /// The launch form: instance type, zone, Spot, instance profile role.
    Launch(Box<dyn FnOnce(&mut LaunchForm)>),
    /// The command box's text, and a template by a command's name.
    CommandText(String),
    CommandTemplate(String),
    /// A file's text as typed (path, text).
    FileDraft(String, String),
}

impl Default for Forms {
    fn default() -> Self {
        Forms {
            app_call: "read s3://reports/2026/summary.csv".into(),
            file_volume: String::new(),
            file_path: "notes/hello.txt".into(),
            role_form: RoleForm::default(),
            launch_form: LaunchForm::default(),
            command_text: COMMAND_TEMPLATES[0].1.to_string(),
            file_draft: None,
        }
    }
}

impl Forms {
    /// The text typed into `path` and not saved yet.
    pub(super) fn file_draft(&self, path: &str) -> Option<&str> {
        self.file_draft
            .as_ref()
            .filter(|(draft, _)| draft == path)
            .map(|(_, text)| text.as_str())
    }

    /// The draft of `path` is saved: the file's own text is shown again.
    pub(super) fn file_saved(&mut self, path: &str) {
        if self.file_draft(path).is_some() {
            self.file_draft = None;
        }
    }

    pub(crate) fn update(&mut self, msg: FormMsg) {
        match msg {
            FormMsg::AppCall(text) => self.app_call = text,
            FormMsg::FileVolume(volume) => self.file_volume = volume,
            FormMsg::FilePath(path) => self.file_path = path,
            FormMsg::Role(edit) => edit(&mut self.role_form),
            FormMsg::Launch(edit) => edit(&mut self.launch_form),
            FormMsg::CommandText(text) => self.command_text = text,
            FormMsg::FileDraft(path, text) => self.file_draft = Some((path, text)),
            FormMsg::CommandTemplate(name) => {
                if let Some((_, template)) =
                    COMMAND_TEMPLATES.iter().find(|(known, _)| *known == name)
                {
                    self.command_text = template.to_string();
                }
            }
        }
    }

    /// The command box's text as a command, or what the learner should read.
    pub(crate) fn typed_command(&self) -> Result<Command, String> {
        dockyard_model::json::from_str::<Step>(&self.command_text)
            .map(|step| step.command)
            .map_err(|error| format!("That command cannot be read: {error}"))
    }

    /// The new-role form as a command, or what the learner should read.
    pub(crate) fn role_command(&self) -> Result<Command, String> {
        let form = self.role_form.clone();
        let mut policies = std::collections::BTreeMap::new();
        if !form.policy.trim().is_empty() {
            let document = dockyard_model::json::parse_value(&form.policy).map_err(|error| {
                format!(
                    "The policy cannot be read: {}",
                    dockyard_model::json::syntax_error(error)
                )
            })?;
            policies.insert("inline".to_string(), document);
        }
        Ok(Command::CreateRole {
            name: form.name.trim().to_string(),
            trusted_service: form.trusted_service,
            managed_policies: form.managed,
            policies,
            trust_policy: None,
        })
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

impl SandboxState {
    /// Any of the model's commands, as JSON: what the buttons cannot do
    /// (create a service, a Fargate profile, a task definition revision).
    pub(super) fn view_command_box(&self, send: &Callback<Action>) -> Html {
        html! {
            <details class="command-box">
                <summary>{ "Run any command (JSON)" }</summary>
                <label>{ "Start from " }
                    <select name="command-template" onchange={send.reform(|e: Event| Action::Form(FormMsg::CommandTemplate(event_value(&e))))}>
                        <option value="" selected=true>{ "(a command's template)" }</option>
                        { for COMMAND_TEMPLATES.iter().map(|(name, _)| html! { <option value={*name}>{ *name }</option> }) }
                    </select>
                </label>
                <textarea name="command-text" class="checker-text" rows="6" spellcheck="false" aria-label="The command, as JSON" value={self.forms.command_text.clone()}
                    oninput={send.reform(|e: InputEvent| Action::Form(FormMsg::CommandText(event_value(&e))))}
                    onchange={send.reform(|e: Event| Action::Form(FormMsg::CommandText(event_value(&e))))} />
                <button type="button" class="run-command" onclick={send.reform(|_| Action::RunCommandText)}>{ "Run it now" }</button>
                { self.view_answer(Place::CommandBox) }
                <p class="muted">{ "It runs at the current simulated time, like every change of yours, and can be undone." }</p>
            </details>
        }
    }

    /// The roles in the account, a form for a new one (trust, managed
    /// policies, a policy as JSON), and each ECS service's task role, which
    /// the learner can change (a new revision and a deployment).
    pub(super) fn view_roles(&self, send: &Callback<Action>) -> Html {
        let world = self.player.world();
        let roles: Vec<_> = world.roles().collect();
        let form = self.forms.role_form.clone();
        // Each change edits the form as it is when the change arrives, not
        // the copy this view was drawn from: two changes between redraws
        // would otherwise undo each other.
        let set = |apply: fn(&mut RoleForm, String)| {
            send.reform(move |e: Event| {
                let value = event_value(&e);
                Action::Form(FormMsg::Role(Box::new(move |form| apply(form, value))))
            })
        };
        // Text is kept as it is typed: the clock redraws this panel on every
        // tick, and a field whose state lagged behind its box (kept only on
        // change) was reset to the old text each time.
        let typed = |apply: fn(&mut RoleForm, String)| {
            send.reform(move |e: InputEvent| {
                let value = event_value(&e);
                Action::Form(FormMsg::Role(Box::new(move |form| apply(form, value))))
            })
        };
        // A managed policy's box adds or removes that policy's name.
        let managed = |name: &'static str| {
            send.reform(move |e: Event| {
                let on = event_value(&e) == "true";
                Action::Form(FormMsg::Role(Box::new(move |form| {
                    form.managed.retain(|m| m != name);
                    if on {
                        form.managed.push(name.to_string());
                    }
                })))
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
                    let onchange = send.reform(move |e: Event| {
                        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                        let value = select.value();
                        Action::Do(Place::Roles, Box::new(Command::SetTaskRoles {
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
                { self.view_launch(send) }
                <fieldset class="new-role">
                    <legend>{ "A new role" }</legend>
                    <label>{ "Name " }<input name="role-name" value={form.name.clone()} oninput={typed(|f, v| f.name = v)} onchange={set(|f, v| f.name = v)} /></label>
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
                        <textarea name="role-policy" rows="6" spellcheck="false" value={form.policy.clone()} oninput={typed(|f, v| f.policy = v)} onchange={set(|f, v| f.policy = v)} />
                    </label>
                    <button type="button" class="create-role" onclick={send.reform(|_| Action::CreateRole)}>{ "Create role" }</button>
                    { self.view_answer(Place::Roles) }
                </fieldset>
            </details>
        }
    }

    /// Launch a container instance into the first ECS cluster, choosing its
    /// instance profile: the role the ECS agent uses, and the one a task
    /// without a task role falls back to through IMDS (rules §4).
    fn view_launch(&self, send: &Callback<Action>) -> Html {
        let world = self.player.world();
        let Some(cluster) = world.clusters().next().cloned() else {
            return html! {};
        };
        let form = self.forms.launch_form.clone();
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
            send.reform(move |e: Event| {
                let value = event_value(&e);
                Action::Form(FormMsg::Launch(Box::new(move |form| apply(form, value))))
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
                spot_instance_draining: form.spot && form.spot_draining,
            };
            send.reform(move |_| Action::Do(Place::Roles, Box::new(command.clone())))
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
                if form.spot {
                    <label class="check" title="ECS_ENABLE_SPOT_INSTANCE_DRAINING=true in /etc/ecs/ecs.config. Off by default: without it, a Spot interruption notice does not drain the instance.">
                        <input type="checkbox" name="launch-spot-draining" checked={form.spot_draining} onchange={update(|f, v| f.spot_draining = v == "true")} />
                        { "Drain on interruption notice" }
                    </label>
                }
                <label>{ "Instance profile role " }
                    <select name="launch-profile" onchange={update(|f, v| f.role = v)}>
                        <option value="" selected={form.role.is_empty()}>{ "ecsInstanceRole (the standard one)" }</option>
                        { for profiles.iter().map(|arn| html! { <option value={arn.clone()} selected={form.role == *arn}>{ arn }</option> }) }
                    </select>
                </label>
                <button type="button" class="launch-instance" onclick={launch}>{
                    // The button says what it launches.
                    match (form.spot, form.spot_draining) {
                        (false, _) => "Launch",
                        (true, false) => "Launch Spot",
                        (true, true) => "Launch Spot (drains on notice)",
                    }
                }</button>
            </fieldset>
        }
    }

    /// The selected task's volumes and containers' own filesystems, where
    /// each lives and what is there; the learner can write a file.
    fn view_files(&self, send: &Callback<Action>, task: &str) -> Html {
        let places = self.player.world().task_files(task);
        if places.is_empty() {
            return html! {};
        }
        let running = self
            .player
            .world()
            .task(task)
            .is_some_and(|t| t.state == TaskState::Running);
        let on_volume = send.reform(|e: Event| Action::Form(FormMsg::FileVolume(event_value(&e))));
        let on_path = send.reform(|e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Action::Form(FormMsg::FilePath(input.value()))
        });
        let write = {
            let command = Command::WriteFile {
                task: task.to_string(),
                volume: (!self.forms.file_volume.is_empty())
                    .then(|| self.forms.file_volume.clone()),
                container: None,
                path: self.forms.file_path.clone(),
                contents: format!("written at {}", clock(self.player.now())),
            };
            send.reform(move |_| Action::Do(Place::Inspector, Box::new(command.clone())))
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
                            <option value="" selected={self.forms.file_volume.is_empty()}>{ "container filesystem" }</option>
                            { for places.iter().filter_map(|p| p.volume.clone()).map(|v| html! {
                                <option value={v.clone()} selected={v == self.forms.file_volume}>{ format!("volume {v}") }</option>
                            }) }
                        </select>
                        <input class="file-path" aria-label="Path" value={self.forms.file_path.clone()} oninput={on_path} spellcheck="false" />
                        <button class="write" onclick={write}>{ "Write file" }</button>
                    </div>
                }
            </section>
        }
    }

    /// Who makes each call for the selected task, and the verdict (rules
    /// §4): the platform's calls, then one the learner types for the
    /// application.
    fn view_calls(&self, send: &Callback<Action>, task: &str) -> Html {
        let app = dockyard_model::iam::AppCall::parse(&self.forms.app_call);
        let app_calls: Vec<_> = app.iter().cloned().collect();
        let checks = self.player.world().task_calls(task, &app_calls);
        // A task that could not start already lays out its chain above.
        let explained = self
            .player
            .world()
            .task(task)
            .is_some_and(|t| !t.why.is_empty());
        let on_input = send.reform(|e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Action::Form(FormMsg::AppCall(input.value()))
        });
        html! {
            <section class="task-calls" aria-label="Who calls what">
                <h3>{ "Who calls what" }</h3>
                <label class="app-call">{ "The application calls: " }
                    <input value={self.forms.app_call.clone()} oninput={on_input} spellcheck="false" />
                </label>
                if let Err(error) = &app {
                    <p class="call-error">{ error.to_string() }</p>
                }
                <ul class="calls">
                    { for checks.iter().map(|check| html! {
                        <li class={classes!("call", if check.is_allowed() { "allowed" } else { "denied" })}>
                            <strong>{ if check.is_allowed() { "Allowed" } else { "Denied" } }</strong>
                            { " " }{ &check.explanation }
                            if !check.is_allowed() && !explained {
                                <details class="why-denied">
                                    <summary>{ "Why, step by step" }</summary>
                                    { why_steps(&why::denied_call(check)) }
                                </details>
                            }
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
        let world = self.player.world();
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
    pub(super) fn view_services(&self, send: &Callback<Action>) -> Html {
        let world = self.player.world();
        let services: Vec<(String, u32, bool)> = world
            .services()
            .map(|s| (s.name.clone(), s.desired, false))
            .chain(
                world
                    .eks()
                    .deployments
                    .values()
                    // DaemonSets and bare Pods have no replica count.
                    .filter(|d| !d.daemon && !d.bare)
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
            send.reform(move |_| Action::Do(Place::Services, Box::new(command.clone())))
        };
        html! {
            <>
            <ul class="services" aria-label="Services and deployments">
                { for services.iter().map(|(name, desired, eks)| {
                    let snapshot = world.service_snapshot(name);
                    html! {
                        <li>
                            <span class="service-name">{ if *eks { "Deployment " } else { "Service " } }<strong>{ name }</strong></span>
                            // aria-disabled, not disabled, at zero: a disabled button
                            // drops the keyboard focus of the learner who pressed it.
                            <button aria-label={format!("One fewer for {name}")} aria-disabled={(*desired == 0).then_some("true")}
                                onclick={if *desired == 0 { Callback::noop() } else { change(name, desired - 1, *eks) }}>{ "\u{2212}" }</button>
                            <span class="desired">{ format!("{desired} desired") }</span>
                            <button aria-label={format!("One more for {name}")} onclick={change(name, desired + 1, *eks)}>{ "+" }</button>
                            { snapshot.map(|s| html! { <span class="service-counts">{ format!("{} running, {} pending, CPU {:.0}%", s.running, s.pending, s.cpu_utilization) }</span> }).unwrap_or_default() }
                        </li>
                    }
                }) }
            </ul>
            { self.view_answer(Place::Services) }
            </>
        }
    }

    pub(super) fn view_selected(&self, send: &Callback<Action>) -> Html {
        let Some(id) = &self.selected else {
            return html! { <p class="hint">{ "Select an instance, task, node or pod to see its state, why it is where it is, and what happened to it." }</p> };
        };
        let world = self.player.world();
        let mut facts: Vec<(String, String)> = Vec::new();
        if let Some(t) = world.task(id) {
            facts.push(("State".into(), format!("{:?}", t.state)));
            if let Some(s) = &t.service {
                facts.push(("Service".into(), s.clone()));
            }
            facts.push(("Task definition".into(), t.revision.to_string()));
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
        } else if let Some(s) = world.service(id) {
            facts.push(("Desired".into(), s.desired.to_string()));
            facts.push(("Task definition".into(), s.revision.to_string()));
            if let Some(reason) = s.unplaced_reason.as_ref().filter(|_| s.unplaced > 0) {
                facts.push(("Unplaced because".into(), reason.clone()));
            }
        } else {
            facts.push((
                "Gone".into(),
                format!("{id} no longer exists at this time."),
            ));
        }
        let why = match (world.task(id), world.eks().pods.get(id), world.service(id)) {
            (Some(task), _, _) => view_why("Why it stopped, step by step", &task.why),
            (None, Some(pod), _) => view_why(
                "Why it is Pending, step by step",
                &why::pending_pod(world.eks(), pod),
            ),
            (None, None, Some(service)) if service.launch_failure.is_some() => view_why(
                "Why it cannot launch its tasks, step by step",
                &why::launch_refused(service),
            ),
            (None, None, Some(service)) => view_why(
                "Why it cannot place its tasks, step by step",
                &why::unplaced_service(service),
            ),
            _ => html! {},
        };
        let calls = world.task(id).map(|_| self.view_calls(send, id));
        let files = world.task(id).map(|_| self.view_files(send, id));
        let recent: Vec<_> = self
            .player
            .player()
            .events
            .iter()
            .rev()
            .filter(|e| mentions(&e.what.describe(), id))
            .take(8)
            .collect();
        html! {
            <>
                <h2>{ id }</h2>
                // First, so that "Why?" in the event log lands on it.
                { why }
                <dl>{ for facts.into_iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd>{ v }</dd></> }) }</dl>
                { files.unwrap_or_default() }
                { calls.unwrap_or_default() }
                <div class="actions">{ for self.actions(id).into_iter().map(|(label, command)| html! {
                    <button onclick={send.reform(move |_| Action::Do(Place::Inspector, Box::new(command.clone())))}>{ label }</button>
                }) }</div>
                <h3>{ "Recent events" }</h3>
                <ol>{ for recent.iter().map(|e| html! { <li><time>{ clock(e.at) }</time>{ " " }{ e.what.describe() }</li> }) }</ol>
                <button class="deselect" onclick={send.reform(|_| Action::Select(None))}>{ "Close" }</button>
            </>
        }
    }
}

/// The chain of causes behind a task that could not start or a Pending
/// pod, as the model followed it, each step with the chapter that teaches it.
fn view_why(title: &str, why: &[Cause]) -> Html {
    if why.is_empty() {
        return html! {};
    }
    html! {
        <section class="why-stopped" aria-labelledby="why-stopped-heading">
            <h3 id="why-stopped-heading">{ title }</h3>
            { why_steps(why) }
        </section>
    }
}

/// A chain of causes as a numbered list, each step linked to its chapter.
fn why_steps(why: &[Cause]) -> Html {
    html! {
        <ol class="why-chain">
            { for why.iter().map(|cause| html! {
                <li>
                    { &cause.said }
                    { " " }
                    if let Some(chapter) = chapter(cause.chapter) {
                        <a class="why-notes" href={crate::route::href(&format!("notes/{}/", chapter.slug))}>{ format!("Notes: {}", chapter.short) }</a>
                    }
                </li>
            }) }
        </ol>
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
