//! The `dockyard` binary, driven as a user would drive it.

use std::process::{Command, Output};

fn dockyard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockyard"))
        .args(args)
        .output()
        .expect("the dockyard binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn sizes_lists_the_whole_fargate_menu() {
    let output = dockyard(&["sizes"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("74 valid pairs"), "{text}");
    assert!(text.contains("32768 to 122880 in steps of 8192"), "{text}");
}

#[test]
fn sizes_json_is_machine_readable_and_uses_the_api_string_types() {
    let output = dockyard(&["sizes", "--json"]);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let sizes = document["sizes"].as_array().unwrap();
    assert_eq!(sizes.len(), 74);
    assert_eq!(sizes[0], serde_json::json!({"cpu": "256", "memory": "512"}));
}

#[test]
fn check_accepts_a_valid_size_and_refuses_an_invalid_one_with_exit_code_1() {
    let ok = dockyard(&["sizes", "--check", "1024", "2048"]);
    assert!(ok.status.success());
    let bad = dockyard(&["sizes", "--check", "256", "4096"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stdout(&bad).contains("512 to 2048 MiB"), "{}", stdout(&bad));
    let windows = dockyard(&["sizes", "--check", "512", "1024", "--windows"]);
    assert_eq!(windows.status.code(), Some(1));
}

#[test]
fn bad_command_lines_name_the_problem_and_exit_2() {
    let output = dockyard(&["sizes", "--check", "one", "2048"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("invalid value 'one' for '--check <CPU> <MEMORY>'"),
        "{}",
        stderr(&output)
    );
    let unknown = dockyard(&["launch-rockets"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn a_bad_seed_names_the_flag_and_exits_2() {
    let output = dockyard(&["simulate", &scenario("az-outage"), "--seed", "five"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("invalid value 'five' for '--seed <N>'"),
        "{}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty(), "{}", stdout(&output));
}

#[test]
fn an_unknown_subcommand_is_named_and_exits_2() {
    let output = dockyard(&["launch-rockets", "--now"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unrecognized subcommand 'launch-rockets'"),
        "{}",
        stderr(&output)
    );
    let nested = dockyard(&["lesson", "grade"]);
    assert_eq!(nested.status.code(), Some(2));
}

#[test]
fn each_subcommand_has_its_own_help_and_help_exits_0() {
    for args in [&["help", "validate"][..], &["validate", "--help"]] {
        let output = dockyard(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let text = stdout(&output);
        assert!(text.contains("Usage: dockyard validate"), "{text}");
        assert!(text.contains("--format <FORMAT>"), "{text}");
        assert!(!text.contains("who-calls"), "{text}");
    }
    let check = stdout(&dockyard(&["lesson", "check", "--help"]));
    assert!(
        check.contains("Usage: dockyard lesson check <LESSON> [SOLUTION]"),
        "{check}"
    );
    // A bare `dockyard` lists every command, as `--help` does.
    let bare = dockyard(&[]);
    assert_eq!(bare.status.code(), Some(0));
    for command in [
        "validate",
        "explain",
        "simulate",
        "lesson",
        "sizes",
        "who-calls",
        "volumes",
        "completions",
    ] {
        assert!(stdout(&bare).contains(command), "{}", stdout(&bare));
    }
    let version = dockyard(&["--version"]);
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(
        stdout(&version),
        format!("dockyard {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn completions_prints_a_script_that_knows_the_subcommands() {
    let output = dockyard(&["completions", "bash"]);
    assert_eq!(output.status.code(), Some(0));
    let script = stdout(&output);
    assert!(script.contains("complete -F _dockyard"), "{script}");
    for command in [
        "validate",
        "simulate",
        "lesson",
        "who-calls",
        "--no-execution-role",
    ] {
        assert!(
            script.contains(command),
            "{command} missing from:\n{script}"
        );
    }
    let unknown = dockyard(&["completions", "cmd.exe"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn who_calls_shows_the_fargate_correction() {
    let text = stdout(&dockyard(&["who-calls", "--no-execution-role"]));
    let fargate = text.split("ECS on EC2").next().unwrap();
    assert!(fargate.contains("Pull a private ECR image"));
    assert!(fargate.contains("nobody: the call fails"), "{fargate}");
    assert!(!fargate.contains("instance profile)"), "{fargate}");
}

#[test]
fn volumes_says_only_efs_survives_an_az_loss() {
    let text = stdout(&dockyard(&["volumes"]));
    let survivors = text
        .lines()
        .filter(|line| line.contains("AZ loss: yes"))
        .count();
    assert_eq!(survivors, 1, "{text}");
}

fn fixture(path: &str) -> String {
    format!(
        "{}/../model/tests/fixtures/taskdefs/{path}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn validate_accepts_a_valid_file_and_exits_0() {
    let output = dockyard(&[
        "validate",
        &fixture("aws-containers-task-definitions/nginx__nginx_ec2.json"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains(": valid"));
}

#[test]
fn validate_reports_aws_refusals_with_code_path_and_exit_1() {
    let output = dockyard(&[
        "validate",
        &fixture("aws-containers-task-definitions/nginx__nginx_ec2.json"),
        &fixture("aws-containers-task-definitions/nginx__nginx_fargate.json"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains(
            "error[fargate-execution-role-logs] containerDefinitions[0].logConfiguration.logDriver"
        ),
        "{text}"
    );
}

#[test]
fn validate_json_prints_one_object_per_file_and_exit_2_on_a_parse_error() {
    let output = dockyard(&[
        "validate",
        "--format",
        "json",
        &fixture("aws-containers-task-definitions/kibana__kibana_ec2.json"),
        &fixture("_malformed/firelens__dynatrace__task-definition.json"),
        "/no/such/file.json",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let objects: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(objects.len(), 3);
    assert_eq!(objects[0]["findings"][0]["code"], "port-host-mismatch");
    assert_eq!(objects[0]["findings"][0]["severity"], "error");
    assert_eq!(
        objects[0]["findings"][0]["path"],
        "containerDefinitions[0].portMappings[0].hostPort"
    );
    assert_eq!(objects[1]["parseError"]["line"], 34);
    assert_eq!(objects[1]["parseError"]["column"], 20);
    assert!(objects[2]["readError"].is_string());
}

#[test]
fn explain_prints_the_reason_and_the_chapter() {
    let output = dockyard(&["explain", "fargate-size"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(
        text.contains("fixed menu") && text.contains("#/notes/fargate"),
        "{text}"
    );
    let unknown = dockyard(&["explain", "no-such-rule"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn explain_covers_the_simulations_refusal_codes() {
    let output = dockyard(&["explain", "task-count"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.starts_with("task-count (refused by AWS): ")
            && text.contains("5,000")
            && text.ends_with("Taught in the notes: #/notes/ecs-core-concepts\n"),
        "{text}"
    );
    let own = stdout(&dockyard(&["explain", "replicas"]));
    assert!(own.starts_with("replicas (refused by Dockyard): "), "{own}");
}

#[test]
fn explain_covers_the_policy_checks_with_their_source() {
    let output = dockyard(&["explain", "equals-with-wildcard"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.starts_with("equals-with-wildcard (policy check, warning): ")
            && text.contains("literal character")
            && text.contains("Source: IAM User Guide"),
        "{text}"
    );
}

#[test]
fn export_turns_describe_output_into_registrable_input() {
    let output = dockyard(&[
        "export",
        &fixture("_describe_output/awscli__describe-task-definition__1_response.json"),
    ]);
    assert!(output.status.success());
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["family"], "hello_world");
    assert!(document.get("taskDefinitionArn").is_none() && document.get("revision").is_none());
    assert!(document["containerDefinitions"].as_array().unwrap().len() == 2);
}

fn scenario(name: &str) -> String {
    format!(
        "{}/../../scenarios/{name}.scenario.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn simulate_prints_a_timeline_and_events_in_words() {
    let output = dockyard(&["simulate", &scenario("az-outage")]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = stdout(&output);
    assert!(
        text.contains("  00:30:00  api                  6       6       0"),
        "{text}"
    );
    assert!(
        text.contains("Availability Zone us-east-1a is unavailable"),
        "{text}"
    );
    assert!(text.contains("Cost "), "{text}");
}

#[test]
fn simulate_prints_a_row_per_eks_deployment_and_why_pods_wait() {
    let output = dockyard(&["simulate", &scenario("eks-fargate-profile")]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(
        text.contains("  00:05:00  deploy/report        3       3       0     0  0/0 nodes"),
        "{text}"
    );
    assert!(
        text.contains("  00:05:00  deploy/web           2       0       2"),
        "{text}"
    );
    assert!(text.contains("Fargate micro-VM of 2 vCPU / 9 GB"), "{text}");
    assert!(
        text.contains("[dockyard: no Fargate profile matches namespace default"),
        "{text}"
    );
    assert!(!text.contains("(tasks)"), "{text}");
}

#[test]
fn simulate_json_is_deterministic_and_honours_until_and_seed() {
    let args = [
        "simulate",
        &scenario("az-outage"),
        "--format",
        "json",
        "--until",
        "900",
        "--seed",
        "5",
    ];
    let first: serde_json::Value = serde_json::from_slice(&dockyard(&args).stdout).unwrap();
    let second: serde_json::Value = serde_json::from_slice(&dockyard(&args).stdout).unwrap();
    assert_eq!(first["digest"], second["digest"]);
    assert_eq!(first["until"], 900_000);
    assert_eq!(first["seed"], 5);
    assert_eq!(first["timeline"].as_array().unwrap().len(), 15);
}

#[test]
fn simulate_names_the_field_or_the_line_of_a_bad_scenario() {
    let dir = std::env::temp_dir().join(format!("dockyard-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.scenario.json");
    std::fs::write(&file, "{\n  \"scenario\": 1,\n  \"name\": \"x\",\n  \"steps\": [{\"at\": 0, \"do\": \"launchRockets\"}]\n}\n").unwrap();
    let output = dockyard(&["simulate", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let text = stdout(&output);
    assert!(
        text.contains("steps[0]: launchRockets: unknown variant"),
        "{text}"
    );
    // Text that is not JSON has no field to name: the line and column.
    std::fs::write(
        &file,
        "{\n  \"scenario\": 1,\n  \"name\": \"x\"\n  \"steps\": []\n}\n",
    )
    .unwrap();
    let output = dockyard(&["simulate", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let text = stdout(&output);
    assert!(
        text.contains("line 4, column 3: expected `,` or `}`"),
        "{text}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn lesson_list_names_every_lesson_and_check_judges_a_solution() {
    let output = dockyard(&["lesson", "list"]);
    assert_eq!(output.status.code(), Some(0));
    let list = stdout(&output);
    for id in [
        "run-a-service-on-fargate",
        "a-task-role-for-the-app",
        "pods-on-a-fargate-profile",
    ] {
        assert!(list.contains(id), "{list}");
    }
    let dir = std::env::temp_dir().join(format!("dockyard-lesson-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("solution.json");
    let check = |steps: &str| {
        std::fs::write(&file, steps).unwrap();
        dockyard(&[
            "lesson",
            "check",
            "pods-on-a-fargate-profile",
            file.to_str().unwrap(),
        ])
    };
    let solved = check(
        r#"[{"at": 0, "do": "createFargateProfile", "cluster": "jobs", "name": "p", "namespace": "default"},
            {"at": 1, "do": "scaleDeployment", "deployment": "web", "replicas": 0},
            {"at": 2, "do": "scaleDeployment", "deployment": "web", "replicas": 2}]"#,
    );
    assert_eq!(solved.status.code(), Some(0), "{}", stdout(&solved));
    assert!(stdout(&solved).contains("[met] Deployment web has at least 2 pods Running on Fargate"));
    // A sandbox export works as well as a bare list of steps.
    let wrong = check(
        r#"{"session": 1, "scenario": "eks-fargate-profile", "steps": [{"at": 0, "do": "createFargateProfile", "cluster": "jobs", "name": "p", "namespace": "default"}]}"#,
    );
    assert_eq!(wrong.status.code(), Some(1));
    assert!(stdout(&wrong).contains("[not met]"), "{}", stdout(&wrong));
    let broken = check(r#"[{"at": 0, "do": "createFargateProfile", "cluster": 7}]"#);
    assert_eq!(broken.status.code(), Some(2));
    assert!(stdout(&broken).contains("[0]"), "{}", stdout(&broken));
    let unknown = dockyard(&["lesson", "check", "no-such-lesson", file.to_str().unwrap()]);
    assert_eq!(unknown.status.code(), Some(2));
    // A registry lesson takes registry actions, and refuses sandbox steps.
    let registry = |actions: &str| {
        std::fs::write(&file, actions).unwrap();
        dockyard(&[
            "lesson",
            "check",
            "latest-is-only-a-tag",
            file.to_str().unwrap(),
        ])
    };
    let solved = registry(
        r#"[{"do": "push", "repository": "app", "tag": "1.1", "content": "app build 2"},
            {"do": "push", "repository": "app", "tag": "latest", "content": "app build 2"}]"#,
    );
    assert_eq!(solved.status.code(), Some(0), "{}", stdout(&solved));
    assert!(stdout(&solved).contains(
        "[met] app:1.1 (the image of \u{201c}app build 2\u{201d}) and app:latest name the same image (one digest): both are sha256:"
    ));
    let wrong = registry(
        r#"[{"do": "push", "repository": "app", "tag": "1.1", "content": "app build 2"}]"#,
    );
    assert_eq!(wrong.status.code(), Some(1));
    assert!(stdout(&wrong).contains(
        "[not met] app:1.1 (the image of \u{201c}app build 2\u{201d}) and app:latest name the same image (one digest): 1.1 is sha256:"
    ));
    let steps = registry(r#"[{"at": 0, "do": "createCluster", "name": "c"}]"#);
    assert_eq!(steps.status.code(), Some(2));
    std::fs::remove_dir_all(dir).unwrap();
}

/// Every lesson solution written as commands meets its lesson's goal when
/// played in the terminal at the lesson's start.
#[test]
fn lesson_solutions_in_commands_meet_their_goals() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons/solutions");
    let mut checked = 0;
    for entry in std::fs::read_dir(&folder).expect("lessons/solutions exists") {
        let path = entry.unwrap().path();
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        let output = dockyard(&["lesson", "check", &id, path.to_str().unwrap()]);
        let text = stdout(&output);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{id}:\n{text}{}",
            stderr(&output)
        );
        assert!(text.contains("The goal is met."), "{text}");
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} solutions");
}

#[test]
fn run_plays_a_script_and_exits_with_the_aws_clis_statuses() {
    let dir = std::env::temp_dir().join(format!("dockyard-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("script.sh");
    std::fs::write(&script, "aws ecs list-clusters --query 'clusterArns[0]' --output text\naws ecs list-services --cluster nowhere\naws sts get-caller-identity\n").unwrap();
    let output = dockyard(&["run", "web-on-fargate", script.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(254), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("$ aws ecs list-clusters --query 'clusterArns[0]' --output text\narn:aws:ecs:us-east-1:111122223333:cluster/shop\n"), "{text}");
    assert!(text.contains("An error occurred (ClusterNotFoundException) when calling the ListServices operation: Cluster not found."), "{text}");
    assert!(
        !text.contains("get-caller-identity"),
        "it stops at the first failure: {text}"
    );
    let output = dockyard(&[
        "run",
        "--keep-going",
        "web-on-fargate",
        script.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(254));
    assert!(stdout(&output).contains("\"Account\": \"111122223333\""));
    std::fs::write(&script, "aws ecs create-servce\n").unwrap();
    assert_eq!(
        dockyard(&["run", script.to_str().unwrap()]).status.code(),
        Some(252)
    );
    std::fs::write(&script, "aws ecs list-clusters 'unclosed\n").unwrap();
    let output = dockyard(&["run", script.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("line 1: unfinished quote"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        dockyard(&["run", "no-such-scenario", script.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A registry lesson's script plays on the lesson's registry: a wrong
/// answer is judged not met, with the transcript of what failed, and
/// `dockyard run --lesson` prints what the Registries page's terminal would.
#[test]
fn registry_lessons_play_scripts_of_aws_ecr_and_docker() {
    let dir = std::env::temp_dir().join(format!("dockyard-registry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("wrong.sh");
    let ecr = "111122223333.dkr.ecr.us-east-1.amazonaws.com";
    // Pushing 1.1 and trusting latest to follow; and a push without a login.
    std::fs::write(
        &script,
        format!(
            "docker build -t {ecr}/app:1.1 --build-arg CONTENT='app build 2' .\n\
             docker push {ecr}/app:1.1\n\
             docker login -u AWS -p token {ecr}\n\
             docker push {ecr}/app:1.1\n"
        ),
    )
    .unwrap();
    let output = dockyard(&[
        "lesson",
        "check",
        "latest-is-only-a-tag",
        script.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("no basic auth credentials"), "{text}");
    assert!(
        text.contains("[not met]") && text.contains("The goal is not met yet."),
        "{text}"
    );

    std::fs::write(
        &script,
        "aws ecr describe-repositories --query 'repositories[].repositoryName' --output text\naws ecs list-clusters\n",
    )
    .unwrap();
    let output = dockyard(&[
        "run",
        "--lesson",
        "release-to-an-immutable-repository",
        script.to_str().unwrap(),
    ]);
    let text = stdout(&output);
    assert!(text.contains("$ aws ecr describe-repositories --query 'repositories[].repositoryName' --output text\nweb\n"), "{text}");
    assert_eq!(output.status.code(), Some(0), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `dockyard iam simulate`: the whole evaluation logic on policy files,
/// with context keys; the exit code is the verdict.
#[test]
fn iam_simulate_decides_with_boundary_and_context_and_names_missing_keys() {
    let dir = std::env::temp_dir().join(format!("dockyard-iam-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, json: &str| {
        let path = dir.join(name);
        std::fs::write(&path, json).unwrap();
        path.display().to_string()
    };
    let policy = write(
        "identity.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}"#,
    );
    let boundary = write(
        "boundary.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    );
    let allowed = dockyard(&[
        "iam",
        "simulate",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::reports/a.csv",
        "--policy",
        &policy,
        "--boundary",
        &boundary,
        "--context",
        "aws:SecureTransport=true",
    ]);
    assert!(allowed.status.success(), "{}", stdout(&allowed));
    assert!(stdout(&allowed).contains("ALLOWED"), "{}", stdout(&allowed));
    let capped = dockyard(&[
        "iam",
        "simulate",
        "--action",
        "s3:PutObject",
        "--resource",
        "arn:aws:s3:::reports/a.csv",
        "--policy",
        &policy,
        "--boundary",
        &boundary,
        "--context",
        "aws:SecureTransport=true",
    ]);
    assert_eq!(capped.status.code(), Some(1));
    assert!(
        stdout(&capped).contains("permissions boundary"),
        "{}",
        stdout(&capped)
    );
    let missing = dockyard(&[
        "iam",
        "simulate",
        "--action",
        "s3:GetObject",
        "--policy",
        &policy,
        "--format",
        "json",
    ]);
    assert_eq!(missing.status.code(), Some(1));
    let answer: serde_json::Value = serde_json::from_slice(&missing.stdout).expect("JSON");
    assert_eq!(answer["decision"], "ImplicitlyDenied");
    assert_eq!(
        answer["missingContextValues"],
        serde_json::json!(["aws:SecureTransport"])
    );
    let bad = write(
        "bad.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow"}]}"#,
    );
    assert_eq!(
        dockyard(&[
            "iam",
            "simulate",
            "--action",
            "s3:GetObject",
            "--policy",
            &bad
        ])
        .status
        .code(),
        Some(2)
    );
}

/// `dockyard iam check`: Access Analyzer-style findings, an error exits 1.
#[test]
fn iam_check_reports_findings_with_codes_and_paths() {
    let dir = std::env::temp_dir().join(format!("dockyard-iam-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let trust = dir.join("trust.json");
    std::fs::write(&trust, r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#).unwrap();
    let out = dockyard(&["iam", "check", trust.to_str().unwrap(), "--as", "trust"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("suggestion trust-source-condition at Statement[0]"),
        "{}",
        stdout(&out)
    );
    let wide = dir.join("wide.json");
    std::fs::write(&wide, r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "iam:PassRole", "Resource": "*"}]}"#).unwrap();
    let out = dockyard(&["iam", "check", wide.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("error principal-in-identity-policy at Statement[0].Principal"),
        "{text}"
    );
    assert!(
        text.contains("security warning pass-role-any-resource"),
        "{text}"
    );
    // The lesson's broken trust policy: StringEquals with a wildcard.
    let literal = dir.join("literal.json");
    std::fs::write(&literal, r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:ecs:us-east-1:111122223333:*", "aws:SourceAccount": "111122223333"}}}]}"#).unwrap();
    let out = dockyard(&["iam", "check", literal.to_str().unwrap(), "--as", "trust"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).starts_with(&format!("{}: 1 finding\n  warning equals-with-wildcard at Statement[0].Condition.StringEquals.aws:SourceArn: ", literal.display())),
        "{}",
        stdout(&out)
    );
}

/// A lesson of one's own, and a pack of them, checked as the test suite
/// checks the shipped lessons: what a course repository runs in its CI.
#[test]
fn a_lesson_file_and_a_pack_are_checked_as_the_shipped_lessons_are() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let shipped = dockyard(&["lesson", "check", "leave-nothing-billing"]);
    assert_eq!(shipped.status.code(), Some(0), "{}", stdout(&shipped));
    assert!(stdout(&shipped).contains("The lesson teaches."));

    let pack = format!("{root}/packs/example.pack.json");
    let checked = dockyard(&["pack", "check", &pack]);
    let text = stdout(&checked);
    assert_eq!(checked.status.code(), Some(0), "{text}");
    assert!(text.contains("2 lessons"), "{text}");
    assert!(text.contains("Every lesson teaches"), "{text}");

    // A lesson whose solution is its wrong answer does not teach: exit 1.
    let dir = std::env::temp_dir().join(format!("dockyard-pack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&pack).unwrap()).unwrap();
    let lesson = &mut value["lessons"][0];
    lesson["solution"] = lesson["wrong"]["steps"].clone();
    let lesson_file = dir.join("three.lesson.json");
    std::fs::write(&lesson_file, lesson.to_string()).unwrap();
    let own = dockyard(&["lesson", "check", lesson_file.to_str().unwrap()]);
    assert_eq!(own.status.code(), Some(1), "{}", stdout(&own));
    assert!(
        stdout(&own).contains("[problem] the solution does not meet the goal"),
        "{}",
        stdout(&own)
    );
    let broken_pack = dir.join("broken.pack.json");
    std::fs::write(&broken_pack, value.to_string()).unwrap();
    let failing = dockyard(&["pack", "check", broken_pack.to_str().unwrap()]);
    assert_eq!(failing.status.code(), Some(1), "{}", stdout(&failing));
    assert!(stdout(&failing).contains("1 of 2 lessons do not teach yet"));

    // A pack that cannot be read: exit 2, the field named.
    std::fs::write(
        &broken_pack,
        r#"{"pack": 1, "id": "x", "title": "<b>x</b>", "lessons": []}"#,
    )
    .unwrap();
    let unreadable = dockyard(&["pack", "check", broken_pack.to_str().unwrap()]);
    assert_eq!(unreadable.status.code(), Some(2));
    assert!(
        stdout(&unreadable).contains("title: looks like HTML"),
        "{}",
        stdout(&unreadable)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Receipts made from answers and checked by replay: a hundred learners'
/// receipts, one tampered transcript and one name a spreadsheet would run.
#[test]
fn receipts_are_made_from_answers_and_checked_by_replaying_them() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let dir = std::env::temp_dir().join(format!("dockyard-receipts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let solution = format!("{root}/lessons/solutions/leave-nothing-billing.sh");
    let made = dockyard(&[
        "receipt",
        "make",
        "leave-nothing-billing",
        &solution,
        "--name",
        "Ada Lovelace",
        "--hints",
        "2",
    ]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    let receipt: serde_json::Value = serde_json::from_slice(&made.stdout).unwrap();
    assert_eq!(receipt["lesson"], "leave-nothing-billing");
    assert_eq!(receipt["hintsUsed"], 2);
    assert!(receipt["answer"].as_array().unwrap().len() >= 6);

    let mut files = Vec::new();
    for n in 0..100 {
        let mut copy = receipt.clone();
        copy["name"] = serde_json::json!(format!("Learner {n:03}"));
        let path = dir.join(format!("r{n:03}.json"));
        std::fs::write(&path, copy.to_string()).unwrap();
        files.push(path.to_string_lossy().into_owned());
    }
    let mut args = vec!["receipt", "check"];
    args.extend(files.iter().map(String::as_str));
    let checked = dockyard(&args);
    let text = stdout(&checked);
    assert_eq!(checked.status.code(), Some(0), "{text}");
    assert!(
        text.contains("100 of 100 receipts replay to their goal"),
        "{text}"
    );
    // One answer under a hundred names: each row says so, and that the
    // names were edited in after the receipt was made (its seed is Ada's).
    assert!(
        text.contains("Learner 000")
            && text
                .contains("(same answer as 99 others: Learner 001, Learner 002, Learner 003, ...) (seed: another name's: made under another name)"),
        "{text}"
    );

    // The NAT gateway's release taken out of the transcript: flagged.
    let mut tampered = receipt.clone();
    let answer = tampered["answer"].as_array_mut().unwrap();
    answer.retain(|step| step["do"] != "releaseAddress");
    tampered["name"] = serde_json::json!("=HYPERLINK(\"http://x\")");
    let tampered_path = dir.join("tampered.json");
    std::fs::write(&tampered_path, tampered.to_string()).unwrap();
    let both = dockyard(&[
        "receipt",
        "check",
        "--csv",
        &files[0],
        tampered_path.to_str().unwrap(),
    ]);
    let csv = stdout(&both);
    assert_eq!(both.status.code(), Some(1), "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "name,lesson,verdict,hints_used,seconds_spent,same_answer_as,seed,file"
    );
    assert!(
        lines[1].starts_with("Learner 000,leave-nothing-billing,completed,2,"),
        "{csv}"
    );
    assert!(
        lines[2].starts_with(
            "\"'=HYPERLINK(\"\"http://x\"\")\",leave-nothing-billing,goal not met on replay:"
        ),
        "{csv}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `dockyard pack scorm`: a checked pack and a built site become one zip an
/// LMS takes (the manifest at its root); a pack that does not teach, or no
/// built site, writes nothing.
#[test]
fn a_pack_becomes_a_scorm_package_only_when_it_teaches() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let dir = std::env::temp_dir().join(format!("dockyard-scorm-{}", std::process::id()));
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("packs")).unwrap();
    std::fs::write(
        site.join("index.html"),
        "<!doctype html><title>Dockyard</title>",
    )
    .unwrap();
    std::fs::write(
        site.join("packs/index.html"),
        "<!doctype html><title>Packs</title>",
    )
    .unwrap();
    let pack = format!("{root}/packs/example.pack.json");
    let out = dir.join("week-1.zip");
    let made = dockyard(&[
        "pack",
        "scorm",
        &pack,
        out.to_str().unwrap(),
        "--site",
        site.to_str().unwrap(),
    ]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    assert!(
        stdout(&made).contains("SCORM 1.2 package"),
        "{}",
        stdout(&made)
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut names: Vec<String> = zip.file_names().map(str::to_string).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "imsmanifest.xml",
            "pack.json",
            "scorm.html",
            "site/index.html",
            "site/packs/index.html"
        ]
    );
    let mut manifest = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("imsmanifest.xml").unwrap(), &mut manifest)
        .unwrap();
    assert!(
        manifest.contains("<schemaversion>1.2</schemaversion>"),
        "{manifest}"
    );

    // A pack whose lesson does not teach: exit 1, nothing written.
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&pack).unwrap()).unwrap();
    value["lessons"][0]["solution"] = value["lessons"][0]["wrong"]["steps"].clone();
    let broken = dir.join("broken.pack.json");
    std::fs::write(&broken, value.to_string()).unwrap();
    let refused_out = dir.join("broken.zip");
    let refused = dockyard(&[
        "pack",
        "scorm",
        broken.to_str().unwrap(),
        refused_out.to_str().unwrap(),
        "--site",
        site.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(!refused_out.exists());
    // No built site: exit 2, with what to do.
    let no_site = dockyard(&[
        "pack",
        "scorm",
        &pack,
        refused_out.to_str().unwrap(),
        "--site",
        dir.join("nowhere").to_str().unwrap(),
    ]);
    assert_eq!(no_site.status.code(), Some(2));
    assert!(
        stdout(&no_site).contains("build it first") || stderr(&no_site).contains("build it first")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
