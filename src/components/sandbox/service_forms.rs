//! "Create service" and "Update service" in the AWS console's words, for a
//! learner who prefers forms: each gives the model the command the console
//! would send (and the terminal prints the CLI command it stands for). On
//! Fargate the console fills in the default VPC's subnets, and so does the
//! model's command.

use dockyard_model::sim::{
    Capacity, Command, DeploymentConfiguration, ServiceSpec, StrategyItem, World,
};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{Action, Place, SandboxState};

/// A field of the submitted form, by name.
fn field(form: &web_sys::Element, name: &str) -> String {
    form.query_selector(&format!("[name='{name}']"))
        .ok()
        .flatten()
        .and_then(|element| {
            element
                .dyn_ref::<web_sys::HtmlInputElement>()
                .map(|input| {
                    if input.type_() == "checkbox" {
                        input.checked().to_string()
                    } else {
                        input.value()
                    }
                })
                .or_else(|| {
                    element
                        .dyn_ref::<web_sys::HtmlSelectElement>()
                        .map(|s| s.value())
                })
        })
        .unwrap_or_default()
}

fn submitted(e: &SubmitEvent) -> Option<web_sys::Element> {
    e.prevent_default();
    e.target()?.dyn_into::<web_sys::Element>().ok()
}

/// The capacity a form's "Compute" choice stands for.
fn capacity(choice: &str) -> Capacity {
    match choice {
        "FARGATE" => Capacity::Fargate,
        "EC2" => Capacity::Ec2,
        provider => Capacity::Strategy(vec![StrategyItem {
            capacity_provider: provider.to_string(),
            base: 0,
            weight: 1,
        }]),
    }
}

fn create_service(form: &web_sys::Element) -> Action {
    let desired = field(form, "desired-count");
    let Ok(desired_count) = desired.trim().parse::<u32>() else {
        return Action::Complain(
            Place::ServiceForms,
            format!("Desired tasks: \u{201c}{desired}\u{201d} is not a number of tasks"),
        );
    };
    let spec = ServiceSpec {
        cluster: field(form, "cluster"),
        name: field(form, "service-name").trim().to_string(),
        task_definition: field(form, "task-definition"),
        desired_count,
        capacity: capacity(&field(form, "compute")),
        placement_strategy: None,
        placement_constraints: Vec::new(),
        scaling: None,
        load: None,
        memory_load: None,
        request_load: None,
        // The form's service gets a public IP, as Dockyard's JSON commands
        // do; the command the form shows in the terminal says so.
        assign_public_ip: None,
        deployment_configuration: DeploymentConfiguration::default(),
    };
    if spec.name.is_empty() {
        return Action::Complain(
            Place::ServiceForms,
            "Service name: give the service a name".to_string(),
        );
    }
    Action::Do(Place::ServiceForms, Box::new(Command::CreateService(spec)))
}

fn update_service(form: &web_sys::Element, world: &World) -> Action {
    let service = field(form, "service");
    let Some(current) = world.service(&service) else {
        return Action::Complain(
            Place::ServiceForms,
            format!("There is no service called {service}"),
        );
    };
    let mut commands = Vec::new();
    let desired = field(form, "desired-count");
    match desired.trim().parse::<u32>() {
        Ok(count) if count != current.desired => commands.push(Command::UpdateService {
            service: service.clone(),
            desired_count: count,
        }),
        Ok(_) => {}
        Err(_) => {
            return Action::Complain(
                Place::ServiceForms,
                format!("Desired tasks: \u{201c}{desired}\u{201d} is not a number of tasks"),
            )
        }
    }
    let revision = field(form, "task-definition");
    let force = field(form, "force-new-deployment") == "true";
    if revision != current.revision.to_string() {
        commands.push(Command::Deploy {
            service,
            task_definition: Some(revision),
        });
    } else if force {
        commands.push(Command::Deploy {
            service,
            task_definition: None,
        });
    }
    if commands.is_empty() {
        return Action::Complain(Place::ServiceForms, "Nothing to update: the service already has that revision and desired count (tick Force new deployment to replace its tasks)".to_string());
    }
    Action::DoAll(Place::ServiceForms, commands)
}

impl SandboxState {
    pub(super) fn view_service_forms(&self, send: &Callback<Action>) -> Html {
        let world = self.player.world();
        let clusters: Vec<String> = world.clusters().cloned().collect();
        if clusters.is_empty() {
            return html! {};
        }
        let revisions: Vec<String> = world
            .task_definitions()
            .map(|(revision, _)| revision.to_string())
            .collect();
        let providers: Vec<String> = world.capacity_providers().map(|p| p.name.clone()).collect();
        let services: Vec<(String, String, u32)> = world
            .services()
            .map(|s| (s.name.clone(), s.revision.to_string(), s.desired))
            .collect();
        let on_create = send.reform(|e: SubmitEvent| match submitted(&e) {
            Some(form) => create_service(&form),
            None => Action::Complain(
                Place::ServiceForms,
                "The form could not be read".to_string(),
            ),
        });
        let revision_options = |selected: &str| -> Html {
            revisions
                .iter()
                .map(
                    |r| html! { <option value={r.clone()} selected={r == selected}>{ r }</option> },
                )
                .collect()
        };
        html! {
            // Keyed, so that Yew never reuses another form's controls (and
            // their selections) for these.
            <details class="service-forms" key="service-forms">
                <summary>{ "Create or update a service (forms)" }</summary>
                <form class="create-service" onsubmit={on_create} aria-label="Create service">
                    <h3>{ "Create service" }</h3>
                    <label>{ "Cluster " }<select name="cluster">
                        { for clusters.iter().map(|c| html! { <option value={c.clone()}>{ c }</option> }) }
                    </select></label>
                    <label>{ "Compute " }<select name="compute">
                        <option value="FARGATE" selected=true>{ "Launch type: FARGATE" }</option>
                        <option value="EC2">{ "Launch type: EC2" }</option>
                        { for providers.iter().map(|p| html! { <option value={p.clone()}>{ format!("Capacity provider: {p}") }</option> }) }
                    </select></label>
                    <label>{ "Task definition " }<select name="task-definition">{ revision_options(revisions.last().map(String::as_str).unwrap_or_default()) }</select></label>
                    <label>{ "Service name " }<input name="service-name" spellcheck="false" /></label>
                    <label>{ "Desired tasks " }<input name="desired-count" type="number" min="0" value="1" /></label>
                    <p class="muted">{ "Networking: the default VPC's subnets, as the console proposes them." }</p>
                    <button type="submit">{ "Create" }</button>
                </form>
                { for services.iter().map(|(name, revision, desired)| {
                    let on_update = send.reform(|e: SubmitEvent| match submitted(&e) {
                        Some(form) => Action::UpdateFromForm(form),
                        None => Action::Complain(Place::ServiceForms, "The form could not be read".to_string()),
                    });
                    html! {
                        <form class="update-service" onsubmit={on_update} aria-label={format!("Update service {name}")}>
                            <h3>{ format!("Update service {name}") }</h3>
                            <input type="hidden" name="service" value={name.clone()} />
                            <label>{ "Task definition revision " }<select name="task-definition">{ revision_options(revision) }</select></label>
                            <label>{ "Desired tasks " }<input name="desired-count" type="number" min="0" value={desired.to_string()} /></label>
                            <label class="check"><input type="checkbox" name="force-new-deployment" />{ "Force new deployment" }</label>
                            <button type="submit">{ "Update" }</button>
                        </form>
                    }
                }) }
                { self.view_answer(Place::ServiceForms) }
            </details>
        }
    }

    /// An "Update service" form, read against the world it was drawn on.
    pub(super) fn update_from_form(&self, form: &web_sys::Element) -> Action {
        update_service(form, self.player.world())
    }
}
