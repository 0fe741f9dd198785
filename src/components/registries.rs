//! Registries: ECR repositories the learner creates and pushes to, with tag
//! immutability and basic scans as ECR answers them, and Docker Hub's pull
//! limits beside them. Every answer, error included, is the model's
//! (`registry::Registry`); this page keeps a clock and draws.

use std::cell::RefCell;
use std::rc::Rc;

use dockyard_model::registry::docker_hub::{
    ANONYMOUS_PULLS_PER_HOUR, DOCKER_HUB_LIMITS_AS_OF, FREE_AUTHENTICATED_PULLS_PER_HOUR,
};
use dockyard_model::registry::scan::Severity;
use dockyard_model::registry::{Registry, RepositorySettings, TagMutability};
use yew::prelude::*;

const HOUR: u64 = 3600;

/// A text field kept in state.
fn field(state: &UseStateHandle<String>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| state.set(super::event_value(&e)))
}

#[function_component(Registries)]
pub fn registries() -> Html {
    let registry =
        use_mut_ref(|| Registry::new("111122223333", "us-east-1").expect("a valid registry"));
    // Bumped after every change to the registry, to draw it again.
    let version = use_state(|| 0u32);
    let now = use_state(|| 0u64);
    let message = use_state(|| None::<(bool, String)>);
    let name = use_state(|| "shop/web".to_string());
    let immutable = use_state(|| "true".to_string());
    let scan_on_push = use_state(|| "true".to_string());
    let push_repo = use_state(String::new);
    let tag = use_state(|| "v1".to_string());
    let content = use_state(|| "web build 1".to_string());

    let bump = {
        let version = version.clone();
        move || version.set(*version + 1)
    };
    let on_create = {
        let (registry, message, name, immutable, scan_on_push, push_repo, bump) = (
            registry.clone(),
            message.clone(),
            name.clone(),
            immutable.clone(),
            scan_on_push.clone(),
            push_repo.clone(),
            bump.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let settings = RepositorySettings {
                tag_mutability: if *immutable == "true" {
                    TagMutability::Immutable
                } else {
                    TagMutability::Mutable
                },
                scan_on_push: *scan_on_push == "true",
            };
            let result = registry
                .borrow_mut()
                .create_repository(&name, settings)
                .map(|r| r.name().to_string());
            match result {
                Ok(created) => {
                    message.set(Some((true, format!("Created repository {created}."))));
                    push_repo.set(created);
                }
                Err(error) => message.set(Some((
                    false,
                    format!("{}: {}", error.error_type(), error.message()),
                ))),
            }
            bump();
        })
    };
    let on_push = {
        let (registry, message, push_repo, tag, content, now, bump) = (
            registry.clone(),
            message.clone(),
            push_repo.clone(),
            tag.clone(),
            content.clone(),
            now.clone(),
            bump.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let result = registry.borrow_mut().push(&push_repo, &tag, &content, *now);
            match result {
                Ok(outcome) => {
                    let mut words = format!(
                        "Pushed {}:{} as {}{}.",
                        *push_repo,
                        outcome.tag,
                        short(&outcome.digest),
                        if outcome.new_image {
                            ""
                        } else {
                            " (the same content: the image was already there)"
                        }
                    );
                    if let Some(from) = &outcome.tag_moved_from {
                        words.push_str(&format!(
                            " The tag moved from {}; running tasks keep the digest they resolved.",
                            short(from)
                        ));
                    }
                    if let Some(untagged) = &outcome.untagged {
                        words.push_str(&format!(" {} is now untagged.", short(untagged)));
                    }
                    if let Some(scan) = &outcome.scan {
                        words.push_str(&format!(" Scanned on push: {}.", counts(scan)));
                    }
                    message.set(Some((true, words)));
                }
                Err(error) => message.set(Some((
                    false,
                    format!("{}: {}", error.error_type(), error.message()),
                ))),
            }
            now.set(*now + HOUR);
            bump();
        })
    };
    let on_day = {
        let now = now.clone();
        Callback::from(move |_: MouseEvent| now.set(*now + 24 * HOUR))
    };

    let registry_ref: std::cell::Ref<Registry> = registry.borrow();
    let repositories: Vec<_> = registry_ref.repositories().collect();
    let scan = scan_button(&registry, &message, &now, &bump);
    html! {
        <main class="editor-page registries-page" id="main" aria-labelledby="notes-heading">
            <h1 id="notes-heading" tabindex="-1">{ "Registries" }</h1>
            <p class="panel-lead">
                { format!("Amazon ECR in account 111122223333, us-east-1 ({}). Simulated time: day {}, {:02}:00. Each push takes an hour.", registry_ref.host(), *now / 86_400 + 1, *now % 86_400 / 3600) }
                { " " }<button type="button" class="next-day" onclick={on_day}>{ "+1 day" }</button>
            </p>
            if let Some((ok, text)) = &*message {
                <p class={classes!("sandbox-message", ok.then_some("ok"))} role="status">{ text }</p>
            }
            <div class="editor-columns">
                <section aria-label="Create a repository" class="editor-form">
                    <h2>{ "Create a repository" }</h2>
                    <label>{ "Name" }<input name="repository-name" value={(*name).clone()} onchange={field(&name)} /></label>
                    <label class="check"><input type="checkbox" name="immutable" checked={*immutable == "true"} onchange={field(&immutable)} />{ "Tag immutability (IMMUTABLE)" }</label>
                    <label class="check"><input type="checkbox" name="scan-on-push" checked={*scan_on_push == "true"} onchange={field(&scan_on_push)} />{ "Scan on push (basic scanning)" }</label>
                    <button type="button" class="create" onclick={on_create}>{ "Create repository" }</button>
                    <h2>{ "Push an image" }</h2>
                    <label>{ "Repository" }
                        <select name="push-repository" onchange={field(&push_repo)}>
                            <option value="" selected={push_repo.is_empty()}>{ "(choose)" }</option>
                            { for repositories.iter().map(|r| html! { <option value={r.name().to_string()} selected={*push_repo == r.name()}>{ r.name() }</option> }) }
                        </select>
                    </label>
                    <label>{ "Tag" }<input name="tag" value={(*tag).clone()} onchange={field(&tag)} /></label>
                    <label>{ "Image content (change it to build a different image: the digest is its SHA-256)" }<input name="content" value={(*content).clone()} onchange={field(&content)} /></label>
                    <button type="button" class="push" onclick={on_push}>{ "docker push" }</button>
                    <h2>{ "Docker Hub" }</h2>
                    <p class="panel-lead">
                        { format!("Pulls are rate limited: {ANONYMOUS_PULLS_PER_HOUR} per hour per IP address without signing in, {FREE_AUTHENTICATED_PULLS_PER_HOUR} per hour for a free account (Docker's figures as of {DOCKER_HUB_LIMITS_AS_OF}; enforcement has lagged the documentation). Tasks behind one NAT gateway share its address. Copy public images to ECR, or use ECR Public, to avoid it.") }
                    </p>
                </section>
                <section aria-label="Repositories" class="repositories">
                    <h2>{ "Repositories" }</h2>
                    if repositories.is_empty() {
                        <p class="panel-lead">{ "None yet." }</p>
                    }
                    { for repositories.iter().map(|r| html! {
                        <article class="repository">
                            <h3>{ r.name() }<span class="muted">{ format!(" {} · scan on push {}", r.settings().tag_mutability.as_str(), if r.settings().scan_on_push { "on" } else { "off" }) }</span></h3>
                            <p class="muted uri">{ registry_ref.repository_uri(r.name()) }</p>
                            <table class="compare-table images">
                                <thead><tr><th scope="col">{ "Digest" }</th><th scope="col">{ "Tags" }</th><th scope="col">{ "Pushed" }</th><th scope="col">{ "Scan findings" }</th><th scope="col"></th></tr></thead>
                                <tbody>
                                { for r.images().map(|image| {
                                    let tags = r.tags_of(&image.digest).join(", ");
                                    html! {
                                        <tr>
                                            <td><code>{ short(&image.digest) }</code></td>
                                            <td>{ if tags.is_empty() { "(untagged)".to_string() } else { tags } }</td>
                                            <td>{ format!("day {}, {:02}:00", image.pushed_at / 86_400 + 1, image.pushed_at % 86_400 / 3600) }</td>
                                            <td class="scan">{ image.scan.as_ref().map(counts).unwrap_or_else(|| "not scanned".into()) }</td>
                                            <td>{ scan(r.name().to_string(), image.digest.clone()) }</td>
                                        </tr>
                                    }
                                }) }
                                </tbody>
                            </table>
                        </article>
                    }) }
                    <p class="muted">{ "Scan findings are illustrative: real ones depend on the image's packages." }</p>
                </section>
            </div>
        </main>
    }
}

/// A "Scan" button for one image: StartImageScan, refused within 24 hours.
fn scan_button(
    registry: &Rc<RefCell<Registry>>,
    message: &UseStateHandle<Option<(bool, String)>>,
    now: &UseStateHandle<u64>,
    bump: &(impl Fn() + Clone + 'static),
) -> impl Fn(String, String) -> Html {
    let (registry, message, now, bump) =
        (registry.clone(), message.clone(), now.clone(), bump.clone());
    move |repository: String, digest: String| {
        let (registry, message, now, bump) =
            (registry.clone(), message.clone(), now.clone(), bump.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            let result = registry
                .borrow_mut()
                .start_image_scan(&repository, &digest, *now);
            match result {
                Ok(scan) => message.set(Some((
                    true,
                    format!("Scanned {}: {}.", short(&digest), counts(&scan)),
                ))),
                Err(error) => message.set(Some((
                    false,
                    format!("{}: {}", error.error_type(), error.message()),
                ))),
            }
            bump();
        });
        html! { <button type="button" class="scan-now" {onclick}>{ "Scan" }</button> }
    }
}

fn short(digest: &str) -> String {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    format!("sha256:{}", &hex[..hex.len().min(12)])
}

fn counts(scan: &dockyard_model::registry::scan::ScanResult) -> String {
    let parts: Vec<String> = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Informational,
    ]
    .iter()
    .filter(|s| scan.count(**s) > 0)
    .map(|s| format!("{} {}", scan.count(*s), s.as_str()))
    .collect();
    if parts.is_empty() {
        "no findings".into()
    } else {
        parts.join(", ")
    }
}
