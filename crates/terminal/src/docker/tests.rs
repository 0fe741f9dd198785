use super::*;

#[test]
fn durations_read_as_dockers() {
    assert_eq!(human_duration(0), "Less than a second");
    assert_eq!(human_duration(45), "45 seconds");
    assert_eq!(human_duration(90), "About a minute");
    assert_eq!(human_duration(3600), "About an hour");
    assert_eq!(human_duration(5 * 3600), "5 hours");
    assert_eq!(human_duration(3 * 86_400), "3 days");
}

#[test]
fn tables_pad_as_tabwriter_does() {
    let rows = vec![
        vec!["REPOSITORY".to_string(), "TAG".to_string()],
        vec!["app".to_string(), "1.1".to_string()],
    ];
    assert_eq!(table(&rows), "REPOSITORY   TAG\napp          1.1\n");
}

// ---- the commands, on the Registries page's desk --------------------------

use dockyard_model::registry::desk::Action;

use crate::aws::tests::TestCloud;

const ECR: &str = "111122223333.dkr.ecr.us-east-1.amazonaws.com";

fn cloud() -> TestCloud {
    TestCloud::registries(&[
        Action::CreateRepository {
            name: "app".into(),
            immutable: false,
            scan_on_push: false,
        },
        Action::CreateRepository {
            name: "web-release".into(),
            immutable: true,
            scan_on_push: true,
        },
    ])
}

fn ok(cloud: &mut TestCloud, line: &str) -> crate::Output {
    let out = cloud.run(line);
    assert_eq!(
        out.status, 0,
        "{line}\n{}{}{:?}",
        out.stdout, out.stderr, out.notes
    );
    out
}

fn logged_in() -> TestCloud {
    let mut cloud = cloud();
    let token = ok(&mut cloud, "aws ecr get-login-password").stdout;
    ok(
        &mut cloud,
        &format!("docker login -u AWS -p {} {ECR}", token.trim_end()),
    );
    cloud
}

#[test]
fn without_an_engine_docker_cannot_reach_its_daemon() {
    let mut cloud = TestCloud::web_on_fargate();
    let out = cloud.run("docker images");
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr,
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n"
    );
    assert!(out.notes[0].contains("Registries page"), "{:?}", out.notes);
}

#[test]
fn build_tag_and_images() {
    let mut cloud = cloud();
    let out = ok(
        &mut cloud,
        "docker build -t app:1.1 --build-arg CONTENT='app build 2' .",
    );
    let id = digest_of(b"app build 2");
    assert_eq!(
        out.stdout,
        format!("[+] Building 0.0s (1/1) FINISHED\n => exporting to image\n => => writing image {id}\n => => naming to docker.io/library/app:1.1\n")
    );
    assert!(out.notes[0].contains("\"app build 2\""), "{:?}", out.notes);
    ok(&mut cloud, &format!("docker tag app:1.1 {ECR}/app:1.1"));
    let out = ok(&mut cloud, "docker images");
    let short = &id["sha256:".len().."sha256:".len() + 12];
    assert_eq!(
        out.stdout,
        format!(
            "REPOSITORY                                         TAG       IMAGE ID       CREATED\n\
             {ECR}/app   1.1       {short}   Less than a second ago\n\
             app                                                1.1       {short}   Less than a second ago\n"
        )
    );
    let out = ok(&mut cloud, "docker images app");
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
    // Without a chosen content nor a Dockerfile, each build is a new image.
    let first = ok(&mut cloud, "docker build -t app:dev .");
    assert!(
        first.notes[0].contains("\"app:dev build 2\""),
        "{:?}",
        first.notes
    );
    let second = ok(&mut cloud, "docker build -t app:dev .");
    assert!(
        second.notes[0].contains("\"app:dev build 3\""),
        "{:?}",
        second.notes
    );
    let out = ok(&mut cloud, "docker images");
    assert!(
        out.stdout.contains("<none>"),
        "the first dev build is dangling: {}",
        out.stdout
    );
    // A Dockerfile among the learner's files is the content.
    cloud
        .files
        .insert("site/Dockerfile".into(), "FROM nginx:1.27\n".into());
    let out = ok(&mut cloud, "docker build -t site site");
    assert!(
        out.notes[0].contains("the text of site/Dockerfile"),
        "{:?}",
        out.notes
    );
    assert!(out.stdout.contains(&digest_of(b"FROM nginx:1.27\n")));
}

#[test]
fn build_and_tag_refuse_what_docker_refuses() {
    let mut cloud = cloud();
    let out = cloud.run("docker build -t app:1.1");
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.starts_with(
            "\"docker build\" requires exactly 1 argument.\nSee 'docker build --help'."
        ),
        "{}",
        out.stderr
    );
    let out = cloud.run("docker build -t App:1 .");
    assert!(
        out.stderr
            .starts_with("ERROR: invalid tag \"App:1\": invalid reference format: repository"),
        "{}",
        out.stderr
    );
    let out = cloud.run("docker build --squash .");
    assert_eq!(
        out.stderr,
        "unknown flag: --squash\nSee 'docker build --help'.\n"
    );
    let out = cloud.run("docker build -f nowhere/Dockerfile .");
    assert!(
        out.stderr.contains("failed to read dockerfile"),
        "{}",
        out.stderr
    );
    let out = cloud.run("docker tag ghost:1 app:2");
    assert_eq!(
        out.stderr,
        "Error response from daemon: No such image: ghost:1\n"
    );
    ok(&mut cloud, "docker build -t app:1 --build-arg CONTENT=x .");
    let out = cloud.run("docker tag app:1 Bad:2");
    assert!(out.stderr.starts_with("Error parsing reference: \"Bad:2\" is not a valid repository/tag: invalid reference format"), "{}", out.stderr);
    let out = cloud.run("docker tag app:1");
    assert!(
        out.stderr
            .starts_with("\"docker tag\" requires exactly 2 arguments."),
        "{}",
        out.stderr
    );
    // An image id (its start) names the image too.
    let id = digest_of(b"x");
    ok(&mut cloud, &format!("docker tag {} app:by-id", &id[7..19]));
}

#[test]
fn a_push_to_ecr_needs_a_login_and_is_the_desks_push() {
    let mut cloud = cloud();
    ok(
        &mut cloud,
        &format!("docker build -t {ECR}/app:1.1 --build-arg CONTENT='app build 2' ."),
    );
    let out = cloud.run(&format!("docker push {ECR}/app:1.1"));
    assert_eq!(out.status, 1);
    assert_eq!(out.stderr, "no basic auth credentials\n");
    assert!(out
        .stdout
        .starts_with(&format!("The push refers to repository [{ECR}/app]\n")));
    assert!(
        out.notes[0].contains("get-login-password"),
        "{:?}",
        out.notes
    );

    let out = cloud.run(&format!(
        "docker login --username AWS --password-stdin {ECR}"
    ));
    assert_eq!(out.status, 1);
    assert!(out.notes[0].contains("no pipes"), "{:?}", out.notes);
    let out = ok(
        &mut cloud,
        &format!("docker login -u AWS -p anything https://{ECR}"),
    );
    assert_eq!(out.stdout, "Login Succeeded\n");
    assert!(out.stderr.starts_with("WARNING! Using --password"));
    assert!(
        out.notes[0].contains("does not check the token"),
        "{:?}",
        out.notes
    );

    let digest = digest_of(b"app build 2");
    let out = ok(&mut cloud, &format!("docker push {ECR}/app:1.1"));
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!("The push refers to repository [{ECR}/app]")
    );
    assert!(lines[1].ends_with(": Pushed"), "{}", out.stdout);
    assert!(
        lines[2].starts_with(&format!("1.1: digest: {digest} size: ")),
        "{}",
        out.stdout
    );
    assert!(
        out.notes[0].starts_with("Pushed app:1.1 as sha256:"),
        "{:?}",
        out.notes
    );
    assert_eq!(cloud.desk().registry.resolve("app", "1.1").unwrap(), digest);
    // The same image under another tag: the layer is there already.
    ok(
        &mut cloud,
        &format!("docker tag {ECR}/app:1.1 {ECR}/app:latest"),
    );
    let out = ok(&mut cloud, &format!("docker push {ECR}/app:latest"));
    assert!(
        out.stdout.contains(": Layer already exists\n"),
        "{}",
        out.stdout
    );
    ok(
        &mut cloud,
        "docker logout 111122223333.dkr.ecr.us-east-1.amazonaws.com",
    );
    assert_eq!(
        cloud.run(&format!("docker push {ECR}/app:latest")).stderr,
        "no basic auth credentials\n"
    );
}

#[test]
fn ecrs_refusals_come_back_as_docker_prints_them() {
    let mut cloud = logged_in();
    ok(
        &mut cloud,
        &format!("docker build -t {ECR}/web-release:1.0 --build-arg CONTENT='web build 44' ."),
    );
    ok(&mut cloud, &format!("docker push {ECR}/web-release:1.0"));
    ok(
        &mut cloud,
        &format!("docker build -t {ECR}/web-release:1.0 --build-arg CONTENT='web build 45' ."),
    );
    let before = cloud.desk().to_json();
    let out = cloud.run(&format!("docker push {ECR}/web-release:1.0"));
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr,
        "tag invalid: The image tag '1.0' already exists in the 'web-release' repository and cannot be overwritten because the repository is immutable.\n"
    );
    assert_eq!(
        cloud.desk().to_json(),
        before,
        "a refused push changes nothing"
    );
    ok(
        &mut cloud,
        &format!("docker tag {ECR}/web-release:1.0 {ECR}/ghost:1"),
    );
    let out = cloud.run(&format!("docker push {ECR}/ghost:1"));
    assert_eq!(
        out.stderr,
        "name unknown: The repository with name 'ghost' does not exist in the registry with id '111122223333'\n"
    );
    assert!(
        out.notes[0].contains("create-repository"),
        "{:?}",
        out.notes
    );
    let out = cloud.run(&format!("docker push {ECR}/web-release:2.0"));
    assert_eq!(
        out.stderr,
        format!("An image does not exist locally with the tag: {ECR}/web-release\n")
    );
    ok(
        &mut cloud,
        &format!(
            "docker tag {ECR}/web-release:1.0 999988887777.dkr.ecr.us-east-1.amazonaws.com/web:1"
        ),
    );
    let out = cloud.run("docker push 999988887777.dkr.ecr.us-east-1.amazonaws.com/web:1");
    assert_eq!(out.status, 1);
    assert!(out.notes[0].contains("one ECR registry"), "{:?}", out.notes);
    ok(
        &mut cloud,
        &format!("docker tag {ECR}/web-release:1.0 quay.io/learner/web:1"),
    );
    let out = cloud.run("docker push quay.io/learner/web:1");
    assert!(
        out.stderr
            .contains("does not simulate the registry quay.io"),
        "{}",
        out.stderr
    );
}

#[test]
fn docker_hub_pushes_go_to_the_learners_namespace() {
    let mut cloud = cloud();
    ok(
        &mut cloud,
        "docker build -t learner/web:v1 --build-arg CONTENT='web build 1' .",
    );
    let out = ok(&mut cloud, "docker push learner/web:v1");
    assert!(
        out.stdout
            .starts_with("The push refers to repository [docker.io/learner/web]\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.notes[0].contains("Docker Hub created learner/web on this push"),
        "{:?}",
        out.notes
    );
    assert!(cloud.desk().hub.repository("learner/web").is_some());
    ok(&mut cloud, "docker tag learner/web:v1 web:v1");
    let out = cloud.run("docker push web:v1");
    assert_eq!(out.status, 1);
    assert!(
        out.stderr
            .starts_with("denied: requested access to the resource is denied."),
        "{}",
        out.stderr
    );
    let out = ok(&mut cloud, "docker login -u learner -p secret");
    assert!(
        out.notes[0].contains("signed in to Docker Hub as learner"),
        "{:?}",
        out.notes
    );
}

#[test]
fn other_commands_are_answered_honestly() {
    let mut cloud = cloud();
    let out = cloud.run("docker fly");
    assert_eq!(
        (out.status, out.stderr.as_str()),
        (
            1,
            "docker: 'fly' is not a docker command.\nSee 'docker --help'\n"
        )
    );
    let out = cloud.run("docker pussh app");
    assert_eq!(out.notes, ["Did you mean docker push?"]);
    let out = cloud.run("docker run nginx");
    assert_eq!(out.status, 1);
    assert!(
        out.notes[0].contains("does not simulate docker run"),
        "{:?}",
        out.notes
    );
    let out = cloud.run(&format!("docker pull {ECR}/app:1.0"));
    assert_eq!(out.status, 1);
    assert!(
        out.notes[0].contains("digest, not its content"),
        "{:?}",
        out.notes
    );
    let out = ok(&mut cloud, "docker");
    assert!(out.stdout.contains("push"), "{}", out.stdout);
    ok(&mut cloud, "docker build -t app:1 --build-arg CONTENT=a .");
    ok(&mut cloud, "docker image ls");
}

#[test]
fn completion_offers_subcommands_and_local_images() {
    let mut cloud = cloud();
    ok(
        &mut cloud,
        "docker build -t app:1.1 --build-arg CONTENT=a .",
    );
    ok(&mut cloud, &format!("docker tag app:1.1 {ECR}/app:1.1"));
    let c = crate::complete(&cloud, "docker pu");
    assert_eq!(c.options, ["pull", "push"]);
    let c = crate::complete(&cloud, "docker push ");
    assert_eq!(c.options, [format!("{ECR}/app:1.1"), "app:1.1".to_string()]);
    let c = crate::complete(&cloud, "doc");
    assert_eq!(c.options, ["docker", "dockyard"]);
}
