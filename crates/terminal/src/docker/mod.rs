//! `docker`: the few commands that get an image into a registry (build,
//! tag, images, login, push), read as the Docker CLI reads them and printed
//! as it prints. The local images live in a [`DockerEngine`] that the page
//! lends through [`Cloud::docker`]; the registries are the page's desk, and
//! a push is the desk's action (`Push` to ECR, `PushToDockerHub`), so the
//! model decides whether it is let in. Which registry a name is in is the
//! model's image reference parsing (`registry::ImageRef`), never a
//! recogniser of its own.
//!
//! Dockyard has no image contents: an image stands for a text, its
//! "content", whose SHA-256 is its digest, as on the Registries page's form.
//! `docker build` takes it from `--build-arg CONTENT=...`, else from the
//! Dockerfile's text when the learner's files have one, else it makes one
//! up from the name and a build counter (`app:1.1 build 3`), so that every
//! build without a chosen content is a new image, as a real rebuild
//! usually is.

use std::collections::{BTreeMap, BTreeSet};

use dockyard_model::registry::desk::Action;
use dockyard_model::registry::{digest_of, ImageRef, RegistryKind};

use crate::{suggest, Cloud, Output};

/// Docker's local state in one terminal: the images built (by image id,
/// the content's digest), the names that point at them, and the
/// registries logged in to. It is not saved: like a laptop's Docker, it
/// is what this terminal did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DockerEngine {
    images: BTreeMap<String, LocalImage>,
    /// A reference in full (`docker.io/library/app:1.1`) to an image id.
    tags: BTreeMap<String, String>,
    builds: u64,
    logins: BTreeSet<String>,
}

/// One local image.
#[derive(Clone, Debug, PartialEq, Eq)]
struct LocalImage {
    content: String,
    /// Seconds on the desk's clock.
    created_at: u64,
    /// Build order, to list the newest first.
    order: u64,
}

impl DockerEngine {
    /// The local names (`app:1.1`, `111122223333.dkr.ecr.../app:1.1`), as
    /// `docker images` would spell them, for completion.
    pub fn references(&self) -> Vec<String> {
        self.tags
            .keys()
            .filter_map(|full| ImageRef::parse(full).ok())
            .map(|image| image.familiar())
            .collect()
    }

    /// The image id a reference names, if it is here.
    fn lookup(&self, image: &ImageRef) -> Option<&String> {
        self.tags.get(&image.to_string())
    }
}

/// The subcommands simulated, for help and completion.
pub(crate) const SUBCOMMANDS: &[(&str, &str)] = &[
    (
        "build",
        "build an image: docker build -t NAME[:TAG] [--build-arg CONTENT=TEXT] PATH",
    ),
    ("images", "list the images built and tagged here"),
    ("tag", "name an image again: docker tag SOURCE TARGET"),
    (
        "login",
        "docker login -u AWS -p TOKEN REGISTRY (the token from aws ecr get-login-password)",
    ),
    ("logout", "forget a registry's login"),
    ("push", "push NAME[:TAG] to Amazon ECR or Docker Hub"),
    ("pull", "not simulated yet"),
];

/// Docker commands that exist but that Dockyard does not simulate.
const ELSEWHERE: &[&str] = &[
    "attach",
    "buildx",
    "commit",
    "compose",
    "container",
    "context",
    "cp",
    "create",
    "diff",
    "events",
    "exec",
    "export",
    "history",
    "import",
    "info",
    "inspect",
    "kill",
    "load",
    "logs",
    "manifest",
    "network",
    "pause",
    "plugin",
    "port",
    "ps",
    "rename",
    "restart",
    "rm",
    "rmi",
    "run",
    "save",
    "scout",
    "search",
    "start",
    "stats",
    "stop",
    "swarm",
    "system",
    "top",
    "unpause",
    "update",
    "volume",
    "wait",
];

pub(crate) fn run(cloud: &mut dyn Cloud, args: &[String]) -> Output {
    let Some(command) = args.first() else {
        return Output::ok(help());
    };
    let rest = &args[1..];
    match command.as_str() {
        "help" | "--help" | "-h" => Output::ok(help()),
        "version" | "--version" | "-v" => Output::ok(
            "Docker version 28 (Dockyard's simulation: build, tag, images, login, push)\n",
        ),
        "image" => match rest.first().map(String::as_str) {
            Some("ls" | "list") => with_engine(cloud, |cloud| images(cloud, &rest[1..])),
            Some("build") => with_engine(cloud, |cloud| build(cloud, &rest[1..])),
            Some("tag") => with_engine(cloud, |cloud| tag(cloud, &rest[1..])),
            Some("push") => with_engine(cloud, |cloud| push(cloud, &rest[1..])),
            Some("pull") => pull(),
            _ => not_simulated(
                "image",
                "of docker image, ls, build, tag and push are simulated",
            ),
        },
        "images" => with_engine(cloud, |cloud| images(cloud, rest)),
        "build" => with_engine(cloud, |cloud| build(cloud, rest)),
        "tag" => with_engine(cloud, |cloud| tag(cloud, rest)),
        "push" => with_engine(cloud, |cloud| push(cloud, rest)),
        "login" => with_engine(cloud, |cloud| login(cloud, rest)),
        "logout" => with_engine(cloud, |cloud| logout(cloud, rest)),
        "pull" => pull(),
        other if ELSEWHERE.contains(&other) => not_simulated(
            other,
            "this terminal's docker gets images into registries (build, tag, images, login, push)",
        ),
        other => {
            let names: Vec<&str> = SUBCOMMANDS.iter().map(|(name, _)| *name).collect();
            let mut out = Output::error(
                1,
                format!("docker: '{other}' is not a docker command.\nSee 'docker --help'\n"),
            );
            if let Some(near) = suggest::closest(other, &names).first() {
                out = out.note(format!("Did you mean docker {near}?"));
            }
            out
        }
    }
}

fn help() -> String {
    let mut text = String::from(
        "Usage:  docker COMMAND\n\nDockyard's docker (it builds stand-in images and pushes them to the Registries page's registries):\n\n",
    );
    for (name, what) in SUBCOMMANDS {
        text.push_str(&format!("  {name:<8} {what}\n"));
    }
    text
}

fn not_simulated(command: &str, what: &str) -> Output {
    Output::error(
        1,
        format!("docker {command}: not simulated in Dockyard's terminal\n"),
    )
    .note(format!(
        "Dockyard does not simulate docker {command}: {what}."
    ))
}

/// Runs a command that needs the engine, or says there is none here, as
/// docker says when it cannot reach its daemon.
fn with_engine(cloud: &mut dyn Cloud, f: impl FnOnce(&mut dyn Cloud) -> Output) -> Output {
    if cloud.docker().is_none() {
        return Output::error(
            1,
            "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
        )
        .note("Dockyard's docker runs in the Registries page's terminal (#/registries), beside the registries it pushes to.");
    }
    f(cloud)
}

fn engine(cloud: &mut dyn Cloud) -> &mut DockerEngine {
    cloud
        .docker_mut()
        .expect("with_engine checked that there is one")
}

fn now(cloud: &dyn Cloud) -> u64 {
    cloud.desk().map_or(0, |desk| desk.now)
}

/// A usage error as the Docker CLI prints it.
fn requires(command: &str, count: &str, usage: &str) -> Output {
    Output::error(
        1,
        format!(
            "\"docker {command}\" requires {count}.\nSee 'docker {command} --help'.\n\nUsage:  docker {command} {usage}\n"
        ),
    )
}

fn unknown_flag(command: &str, flag: &str) -> Output {
    Output::error(
        1,
        format!("unknown flag: {flag}\nSee 'docker {command} --help'.\n"),
    )
}

/// A flag at `args[*at]`, moving past it, with its value when written
/// `--flag=value`.
fn flag_at(args: &[String], at: &mut usize) -> (String, Option<String>) {
    let word = &args[*at];
    *at += 1;
    match word.split_once('=').filter(|_| word.starts_with("--")) {
        Some((flag, value)) => (flag.to_string(), Some(value.to_string())),
        None => (word.clone(), None),
    }
}

fn take_value(
    command: &str,
    flag: &str,
    inline: Option<String>,
    args: &[String],
    at: &mut usize,
) -> Result<String, Output> {
    if let Some(value) = inline {
        return Ok(value);
    }
    let value = args.get(*at).cloned().ok_or_else(|| {
        Output::error(
            1,
            format!("flag needs an argument: {flag}\nSee 'docker {command} --help'.\n"),
        )
    })?;
    *at += 1;
    Ok(value)
}

/// The part of a familiar name before its tag: `app` of `app:1.1`.
fn repository_name(image: &ImageRef) -> String {
    let familiar = image.familiar();
    match image.tag() {
        Some(tag) if image.digest().is_none() => familiar
            .strip_suffix(&format!(":{tag}"))
            .unwrap_or(&familiar)
            .to_string(),
        _ => familiar,
    }
}

fn short_id(id: &str) -> &str {
    let hex = id.strip_prefix("sha256:").unwrap_or(id);
    &hex[..hex.len().min(12)]
}

// ---- build ----------------------------------------------------------------

fn build(cloud: &mut dyn Cloud, args: &[String]) -> Output {
    let mut tags: Vec<String> = Vec::new();
    let mut build_args: Vec<(String, String)> = Vec::new();
    let mut file: Option<String> = None;
    let mut paths: Vec<String> = Vec::new();
    let mut at = 0;
    while at < args.len() {
        if !args[at].starts_with('-') || args[at] == "-" {
            paths.push(args[at].clone());
            at += 1;
            continue;
        }
        let (flag, inline) = flag_at(args, &mut at);
        let mut value = |flag: &str| take_value("build", flag, inline.clone(), args, &mut at);
        match flag.as_str() {
            "-t" | "--tag" => match value(&flag) {
                Ok(v) => tags.push(v),
                Err(out) => return out,
            },
            "--build-arg" => match value(&flag) {
                Ok(v) => {
                    let (key, val) = v.split_once('=').unwrap_or((v.as_str(), ""));
                    build_args.push((key.to_string(), val.to_string()));
                }
                Err(out) => return out,
            },
            "-f" | "--file" => match value(&flag) {
                Ok(v) => file = Some(v),
                Err(out) => return out,
            },
            "--platform" | "--label" | "--target" | "--progress" | "--network" => {
                if let Err(out) = value(&flag) {
                    return out;
                }
            }
            "--no-cache" | "-q" | "--quiet" | "--pull" | "--load" | "--rm" => {}
            other => return unknown_flag("build", other),
        }
    }
    if paths.len() != 1 {
        return requires("build", "exactly 1 argument", "[OPTIONS] PATH | URL | -");
    }
    let mut references = Vec::new();
    for tag in &tags {
        match ImageRef::parse(tag) {
            Ok(image) if image.digest().is_none() => references.push(image),
            Ok(_) => {
                return Output::error(
                    1,
                    format!("ERROR: invalid tag \"{tag}\": a tag cannot name a digest\n"),
                )
            }
            Err(error) => {
                return Output::error(
                    1,
                    format!("ERROR: invalid tag \"{tag}\": invalid reference format: {error}\n"),
                )
            }
        }
    }
    let builds = cloud.docker().map_or(0, |engine| engine.builds) + 1;
    let chosen = build_args
        .iter()
        .rev()
        .find(|(key, _)| key == "CONTENT")
        .map(|(_, value)| value.clone());
    let dockerfile = file.clone().unwrap_or_else(|| {
        let path = paths[0].trim_end_matches('/');
        if path.is_empty() || path == "." {
            "Dockerfile".to_string()
        } else {
            format!("{path}/Dockerfile")
        }
    });
    let (content, source) = match chosen {
        Some(content) => (content, "from --build-arg CONTENT".to_string()),
        None => match cloud.read_file(&dockerfile) {
            Ok(text) => (text, format!("the text of {dockerfile}")),
            Err(_) if file.is_some() => {
                return Output::error(
                    1,
                    format!("ERROR: failed to solve: failed to read dockerfile: open {dockerfile}: no such file or directory\n"),
                )
            }
            Err(_) => {
                let name = references
                    .first()
                    .map_or("image".to_string(), |image| {
                        let name = repository_name(image);
                        format!("{}:{}", name, image.tag().unwrap_or("latest"))
                    });
                (
                    format!("{name} build {builds}"),
                    "made up from the name and a build counter, as there is no Dockerfile here".to_string(),
                )
            }
        },
    };
    let id = digest_of(content.as_bytes());
    let at = now(cloud);
    let engine = engine(cloud);
    engine.builds = builds;
    engine.images.entry(id.clone()).or_insert(LocalImage {
        content: content.clone(),
        created_at: at,
        order: builds,
    });
    let mut out = String::from("[+] Building 0.0s (1/1) FINISHED\n => exporting to image\n");
    out.push_str(&format!(" => => writing image {id}\n"));
    for image in &references {
        engine.tags.insert(image.to_string(), id.clone());
        out.push_str(&format!(" => => naming to {image}\n"));
    }
    Output::ok(out).note(format!(
        "The image stands for the content \"{content}\" ({source}); its ID is that text's SHA-256, the digest a registry will give it. Choose the content with --build-arg CONTENT=\"...\": the same content is the same image."
    ))
}

// ---- tag and images -------------------------------------------------------

/// The image a source names: a local name, or an image id (or its start).
fn find_source(engine: &DockerEngine, source: &str) -> Option<String> {
    if let Ok(image) = ImageRef::parse(source) {
        if let Some(id) = engine.lookup(&image) {
            return Some(id.clone());
        }
    }
    let hex = source.strip_prefix("sha256:").unwrap_or(source);
    if hex.len() >= 4 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return engine
            .images
            .keys()
            .find(|id| {
                short_id(id).starts_with(hex) || id.trim_start_matches("sha256:").starts_with(hex)
            })
            .cloned();
    }
    None
}

fn tag(cloud: &mut dyn Cloud, args: &[String]) -> Output {
    if let Some(flag) = args.iter().find(|a| a.starts_with('-')) {
        return unknown_flag("tag", flag);
    }
    let [source, target] = args else {
        return requires(
            "tag",
            "exactly 2 arguments",
            "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
        );
    };
    let engine = engine(cloud);
    let Some(id) = find_source(engine, source) else {
        return Output::error(
            1,
            format!("Error response from daemon: No such image: {source}\n"),
        );
    };
    let target_image = match ImageRef::parse(target) {
        Ok(image) if image.digest().is_some() => {
            return Output::error(1, "refusing to create a tag with a digest reference\n")
        }
        Ok(image) => image,
        Err(error) => {
            return Output::error(
                1,
                format!("Error parsing reference: \"{target}\" is not a valid repository/tag: invalid reference format: {error}\n"),
            )
        }
    };
    engine.tags.insert(target_image.to_string(), id);
    Output::default()
}

/// Docker's `units.HumanDuration`, for the CREATED column.
fn human_duration(seconds: u64) -> String {
    let minutes = seconds / 60;
    let hours = (seconds + 1800) / 3600;
    match seconds {
        0 => "Less than a second".to_string(),
        1 => "1 second".to_string(),
        2..=59 => format!("{seconds} seconds"),
        _ if minutes == 1 => "About a minute".to_string(),
        _ if minutes < 60 => format!("{minutes} minutes"),
        _ if hours == 1 => "About an hour".to_string(),
        _ if hours < 48 => format!("{hours} hours"),
        _ if hours < 24 * 7 * 2 => format!("{} days", hours / 24),
        _ if hours < 24 * 30 * 2 => format!("{} weeks", hours / 24 / 7),
        _ if hours < 24 * 365 * 2 => format!("{} months", hours / 24 / 30),
        _ => format!("{} years", seconds / 3600 / 24 / 365),
    }
}

/// Rows as docker's tabwriter lays them out (minimum width 10, padding 3).
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .map(|row| row[c].chars().count() + 3)
                .max()
                .unwrap_or(0)
                .max(10)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == columns {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}", width = widths[c]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn images(cloud: &mut dyn Cloud, args: &[String]) -> Output {
    let mut filter: Option<String> = None;
    for arg in args {
        match arg.as_str() {
            "-a" | "--all" => {}
            flag if flag.starts_with('-') => return unknown_flag("images", flag),
            name if filter.is_none() => filter = Some(name.to_string()),
            _ => {
                return Output::error(
                    1,
                    "\"docker images\" requires at most 1 argument.\nSee 'docker images --help'.\n",
                )
            }
        }
    }
    let at = now(cloud);
    let engine = engine(cloud);
    // (order, repository, tag, id, created)
    let mut listed: Vec<(u64, String, String, String, u64)> = Vec::new();
    for (full, id) in &engine.tags {
        let (Ok(image), Some(local)) = (ImageRef::parse(full), engine.images.get(id)) else {
            continue;
        };
        let repository = repository_name(&image);
        let tag = image.tag().unwrap_or("<none>").to_string();
        if let Some(wanted) = &filter {
            let (name, wanted_tag) = match wanted.rsplit_once(':').filter(|(_, t)| !t.contains('/'))
            {
                Some((name, tag)) => (name, Some(tag)),
                None => (wanted.as_str(), None),
            };
            if name != repository || wanted_tag.is_some_and(|t| t != tag) {
                continue;
            }
        }
        listed.push((local.order, repository, tag, id.clone(), local.created_at));
    }
    if filter.is_none() {
        for (id, local) in &engine.images {
            if !engine.tags.values().any(|tagged| tagged == id) {
                listed.push((
                    local.order,
                    "<none>".into(),
                    "<none>".into(),
                    id.clone(),
                    local.created_at,
                ));
            }
        }
    }
    listed.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| (&a.1, &a.2).cmp(&(&b.1, &b.2))));
    let mut rows = vec![vec![
        "REPOSITORY".to_string(),
        "TAG".to_string(),
        "IMAGE ID".to_string(),
        "CREATED".to_string(),
    ]];
    for (_, repository, tag, id, created) in listed {
        rows.push(vec![
            repository,
            tag,
            short_id(&id).to_string(),
            format!("{} ago", human_duration(at.saturating_sub(created))),
        ]);
    }
    Output::ok(table(&rows))
}

// ---- login ----------------------------------------------------------------

/// A registry as `docker login` names it: a host, without a scheme or path.
fn server_host(server: Option<&str>) -> String {
    let Some(server) = server else {
        return "docker.io".to_string();
    };
    let host = server
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let host = host.split('/').next().unwrap_or(host);
    match host {
        "index.docker.io" | "registry-1.docker.io" => "docker.io".to_string(),
        other => other.to_string(),
    }
}

fn login(cloud: &mut dyn Cloud, args: &[String]) -> Output {
    let mut username: Option<String> = None;
    let mut password: Option<String> = None;
    let mut password_stdin = false;
    let mut servers: Vec<String> = Vec::new();
    let mut at = 0;
    while at < args.len() {
        if !args[at].starts_with('-') {
            servers.push(args[at].clone());
            at += 1;
            continue;
        }
        let (flag, inline) = flag_at(args, &mut at);
        match flag.as_str() {
            "-u" | "--username" => match take_value("login", &flag, inline, args, &mut at) {
                Ok(v) => username = Some(v),
                Err(out) => return out,
            },
            "-p" | "--password" => match take_value("login", &flag, inline, args, &mut at) {
                Ok(v) => password = Some(v),
                Err(out) => return out,
            },
            "--password-stdin" => password_stdin = true,
            other => return unknown_flag("login", other),
        }
    }
    if servers.len() > 1 {
        return requires("login", "at most 1 argument", "[OPTIONS] [SERVER]");
    }
    if password.is_some() && password_stdin {
        return Output::error(
            1,
            "--password and --password-stdin are mutually exclusive\n",
        );
    }
    if password_stdin && username.is_none() {
        return Output::error(1, "Must provide --username with --password-stdin\n");
    }
    let host = server_host(servers.first().map(String::as_str));
    if password.is_none_or(|p| p.is_empty()) {
        let out = Output::error(
            1,
            "Error: Cannot perform an interactive login from a non TTY device\n",
        );
        return out.note(if password_stdin {
            "The terminal has no pipes, so --password-stdin reads nothing. Run aws ecr get-login-password, then give its token with -p: docker login -u AWS -p TOKEN REGISTRY."
        } else {
            "Give the user name and password on the line: docker login -u AWS -p TOKEN REGISTRY (the token from aws ecr get-login-password)."
        });
    }
    let ecr = ImageRef::parse(&format!("{host}/x"))
        .ok()
        .and_then(|image| image.ecr());
    let note = match (&ecr, host.as_str()) {
        (Some(_), _) => {
            let user = username.as_deref().unwrap_or_default();
            let mut note = "Dockyard does not check the token; in AWS it is the password from aws ecr get-login-password, good for 12 hours, and the user name is AWS.".to_string();
            if user != "AWS" {
                note.push_str(&format!(" ECR would refuse the user name {user}."));
            }
            note
        }
        (None, "docker.io") => format!(
            "The Registries page is signed in to Docker Hub as {} already; Dockyard does not check passwords.",
            dockyard_model::registry::hub::DOCKER_ID
        ),
        (None, _) => "Dockyard does not check passwords; it pushes only to Amazon ECR and Docker Hub.".to_string(),
    };
    engine(cloud).logins.insert(host);
    Output {
        stdout: "Login Succeeded\n".to_string(),
        stderr: "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n"
            .to_string(),
        ..Output::default()
    }
    .note(note)
}

fn logout(cloud: &mut dyn Cloud, args: &[String]) -> Output {
    if args.len() > 1 {
        return requires("logout", "at most 1 argument", "[SERVER]");
    }
    let host = server_host(args.first().map(String::as_str));
    let engine = engine(cloud);
    if !engine.logins.remove(&host) {
        return Output::ok(format!("Not logged in to {host}\n"));
    }
    Output::ok(format!("Removing login credentials for {host}\n"))
}

// ---- push and pull --------------------------------------------------------

fn pull() -> Output {
    Output::error(1, "docker pull: not simulated in Dockyard's terminal yet\n").note(
        "Dockyard's registries keep each image's digest, not its content, so a pulled image could not be pushed on. Build the image with the same content instead (docker build --build-arg CONTENT=\"...\"): the same content is the same digest. ECS tasks pull their images in the sandbox.",
    )
}

/// The one layer Dockyard's images have, named as docker names layers.
fn layer_of(content: &str) -> String {
    short_id(&digest_of(format!("layer {content}").as_bytes())).to_string()
}

/// The size docker prints for the pushed manifest (deterministic: a
/// one-layer manifest is about 525 bytes).
fn manifest_size(content: &str) -> usize {
    500 + content.len() % 100
}

fn push(cloud: &mut dyn Cloud, args: &[String]) -> Output {
    let mut names = Vec::new();
    for arg in args {
        match arg.as_str() {
            "-q" | "--quiet" => {}
            "-a" | "--all-tags" => {
                return Output::error(
                    1,
                    "docker push --all-tags: not simulated in Dockyard's terminal\n",
                )
                .note("Push each tag by name: docker push NAME:TAG.")
            }
            flag if flag.starts_with('-') => return unknown_flag("push", flag),
            name => names.push(name.to_string()),
        }
    }
    let [name] = names.as_slice() else {
        return requires("push", "exactly 1 argument", "[OPTIONS] NAME[:TAG]");
    };
    let image = match ImageRef::parse(name) {
        Ok(image) if image.digest().is_none() => image,
        Ok(_) => return Output::error(1, "invalid reference format: push a tag, not a digest\n"),
        Err(error) => return Output::error(1, format!("invalid reference format: {error}\n")),
    };
    let repository = repository_name(&image);
    let tag = image.tag().unwrap_or("latest").to_string();
    let local = cloud.docker().and_then(|engine| {
        let id = engine.lookup(&image)?;
        engine.images.get(id).map(|local| local.content.clone())
    });
    let Some(content) = local else {
        return Output::error(
            1,
            format!("An image does not exist locally with the tag: {repository}\n"),
        )
        .note("Build it (docker build -t NAME:TAG .) or name a local image with docker tag SOURCE TARGET first; docker images lists them.");
    };
    let digest = digest_of(content.as_bytes());
    let layer = layer_of(&content);
    let size = manifest_size(&content);
    let refers = format!(
        "The push refers to repository [{}/{}]\n",
        image.registry(),
        image.repository()
    );
    let failed = |stderr: String| Output {
        stdout: format!("{refers}{layer}: Preparing\n"),
        stderr,
        status: 1,
        ..Output::default()
    };
    let Some(desk) = cloud.desk() else {
        return failed("Error: there are no registries on this page\n".into())
            .note("Open the Registries page (#/registries) to push.");
    };
    let (action, already) = match image.kind() {
        RegistryKind::Ecr(ecr) => {
            let host = desk.registry.host();
            if ecr.host() != host {
                return failed(format!("denied: Your authorization token is not valid for {}\n", ecr.host()))
                    .note(format!("Dockyard simulates one ECR registry, this account's: {host} (account {} in {}).", desk.registry.registry_id(), desk.registry.region()));
            }
            if !cloud
                .docker()
                .is_some_and(|engine| engine.logins.contains(&host))
            {
                return failed("no basic auth credentials\n".into()).note(format!(
                    "Log in to ECR first: aws ecr get-login-password, then docker login -u AWS -p TOKEN {host}."
                ));
            }
            let already = desk
                .registry
                .repository(image.repository())
                .ok()
                .and_then(|r| r.image(&digest))
                .is_some();
            (
                Action::Push {
                    repository: image.repository().to_string(),
                    tag: tag.clone(),
                    content,
                },
                already,
            )
        }
        RegistryKind::DockerHub => {
            let already = desk
                .hub
                .repository(image.repository())
                .and_then(|r| r.image(&digest))
                .is_some();
            (
                Action::PushToDockerHub {
                    repository: repository.clone(),
                    tag: tag.clone(),
                    content,
                },
                already,
            )
        }
        _ => {
            return failed(format!(
                "Error: Dockyard does not simulate the registry {}\n",
                image.registry()
            ))
            .note(
                "Dockyard's docker pushes to this account's Amazon ECR registry and to Docker Hub.",
            )
        }
    };
    match cloud.act(action) {
        Ok(words) => Output::ok(format!(
            "{refers}{layer}: {}\n{tag}: digest: {digest} size: {}\n",
            if already {
                "Layer already exists"
            } else {
                "Pushed"
            },
            size
        ))
        .note(words),
        Err(error) => {
            let line = match error.split_once(": ") {
                Some(("RepositoryNotFoundException", message)) => {
                    format!("name unknown: {message}")
                }
                Some(("ImageTagAlreadyExistsException", message)) => {
                    format!("tag invalid: {message}")
                }
                Some((code, message)) if code.ends_with("Exception") => message.to_string(),
                _ => error.clone(),
            };
            let out = failed(format!("{line}\n"));
            if error.starts_with("RepositoryNotFoundException") {
                out.note("ECR does not create a repository on push: aws ecr create-repository --repository-name NAME first.")
            } else {
                out
            }
        }
    }
}

#[cfg(test)]
mod tests;
