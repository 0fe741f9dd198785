//! The shipped lessons teach (start unmet, solution met, wrong answer
//! unmet), and each condition kind says why in words a learner can act on.

use super::*;

/// Every lesson reads, is named as its file, and teaches: the start does
/// not meet the goal, the reference solution does, and the named wrong
/// answer does not. (build.rs checks that lessons/INDEX names every file.)
#[test]
fn every_lesson_is_solvable_and_not_by_the_wrong_answer() {
    for ((file, _), lesson) in LESSON_FILES.iter().zip(lessons()) {
        assert_eq!(
            *file, lesson.id,
            "lessons/{file}.lesson.json has another id"
        );
    }
    // Every chapter of the notes has a lesson to try.
    for chapter in crate::CHAPTERS {
        assert!(
            lessons().iter().any(|l| l.chapter == chapter.slug),
            "chapter {} has no lesson",
            chapter.slug
        );
    }
    let position = |slug: &str| crate::CHAPTERS.iter().position(|c| c.slug == slug).unwrap();
    let order: Vec<usize> = lessons().iter().map(|l| position(l.chapter)).collect();
    assert!(
        order.windows(2).all(|w| w[0] <= w[1]),
        "lessons/INDEX is not in chapter order: {order:?}"
    );
    for lesson in lessons() {
        assert_eq!(lesson.verify(), Vec::<String>::new(), "{}", lesson.id);
    }
}

/// The shortcut around "data that survives its task": stop t-1 first,
/// then write the report straight into its replacement. The file is
/// there, but nothing was handed on, so the goal stays unmet.
#[test]
fn a_file_written_into_the_replacement_is_not_data_handed_on() {
    let lesson = lesson("data-that-survives-a-task").unwrap();
    let steps: Vec<Step> = dockyard_model::json::from_value(&serde_json::json!([
        {"at": 120, "do": "stopTask", "task": "t-1"},
        {"at": 400, "do": "writeFile", "task": "t-2", "volume": "shared",
         "path": "reports/2026-11.csv", "contents": "month,total\n11,42\n"}
    ]))
    .unwrap();
    let work = lesson.sandbox().unwrap();
    let mut scenario = work.start();
    scenario.steps.extend(steps.iter().cloned());
    let mut player = Player::new(&scenario, None);
    player.advance_to(seconds(work.check_at));
    assert!(player.refused.is_empty(), "{:?}", player.refused);
    // The file is on the replacement's volume: a goal without a writer
    // would be fooled.
    let anyone = Condition::FileSeen(conditions::files::FileSeen {
        service: "reporter".into(),
        path: "reports/2026-11.csv".into(),
        written_by: None,
    });
    assert!(anyone.judge(&player.world).met);
    let judged = lesson.judge(&player.world);
    assert!(!all_met(&judged), "{judged:?}");
    let seen = judged.iter().find(|j| !j.met).unwrap();
    assert_eq!(
        seen.words,
        "A running task of reporter other than t-1 sees the file reports/2026-11.csv that t-1 wrote: it is there, but t-1 did not write it: t-2 did."
    );
}

/// The lesson's wrong answer reads the object, but as the instance: the
/// panel must say that the call is allowed and who made it, so the
/// learner sees why a working read is still the wrong one.
#[test]
fn a_read_through_the_instance_profile_is_allowed_but_not_the_task_role() {
    let lesson = lesson("no-task-role-means-the-instance-profile").unwrap();
    let wrong = lesson.check(&lesson.wrong()).unwrap();
    assert_eq!(wrong.len(), 1);
    assert!(!wrong[0].met);
    assert!(
        wrong[0].words.starts_with(
            "A task of report may make this call, as its task role: read s3://reports/2026/summary.csv: allowed, but made by the container instance role (instance profile), not the task role. "
        ) && wrong[0].words.contains("Allowed by statement \"ReadReports\""),
        "{}",
        wrong[0].words
    );
}

/// On Fargate with no task role nobody can make the app's call: the
/// words must not claim it was "made by" anyone.
#[test]
fn a_call_nobody_can_make_says_so_without_naming_a_maker() {
    let lesson = lesson("run-a-service-on-fargate").unwrap();
    let work = lesson.sandbox().unwrap();
    let mut scenario = work.start();
    scenario.steps.extend(work.solution.iter().cloned());
    let mut player = Player::new(&scenario, None);
    player.advance_to(seconds(work.check_at));
    let written = "read s3://reports/2026/summary.csv";
    let judged = Condition::Call(conditions::iam::Call {
        service: "web".into(),
        written: written.into(),
        call: dockyard_model::iam::AppCall::parse(written).unwrap(),
        allowed: true,
        by: Some(dockyard_model::principals::Principal::TaskRole),
        decided_by: None,
    })
    .judge(&player.world);
    assert!(!judged.met);
    assert!(
        judged.words.contains("not made by the task role: ")
            && !judged.words.contains("but made by"),
        "{}",
        judged.words
    );
}

/// Typing the number the spike needs meets "six running" without any
/// scaling: the goal also asks that a policy set the count.
#[test]
fn a_typed_desired_count_is_not_auto_scaling() {
    let lesson = lesson("fargate-does-not-scale-your-service").unwrap();
    let typed = lesson
        .read_answer(
            r#"[{"at": 0, "do": "createService", "cluster": "shop", "name": "web", "taskDefinition": "web",
                 "desiredCount": 6, "capacity": "fargate",
                 "load": {"shape": "spike", "base": 1024, "peak": 4096, "at": 1200, "duration": 1800}}]"#,
        )
        .unwrap();
    let judged = lesson.check(&typed).unwrap();
    assert_eq!(
        judged.iter().map(|j| (j.met, j.words.as_str())).collect::<Vec<_>>(),
        [
            (true, "Service web runs at least 6 tasks on Fargate: 6 running now."),
            (false, "Service Auto Scaling, not a number typed in, set the desired count of web: it has no scaling policy, so its desired count stays 6."),
        ]
    );
    let solved = lesson.check(&lesson.solution()).unwrap();
    assert!(solved[1].met);
    assert!(
        solved[1].words.starts_with("Service Auto Scaling, not a number typed in, set the desired count of web: its scaling policy set the desired count to "),
        "{}",
        solved[1].words
    );
}

/// Registry lessons are judged on the registry the actions make, read
/// an exported registry as well as a bare list, and refuse sandbox
/// steps (and a sandbox lesson refuses registry actions).
#[test]
fn a_solution_reads_one_step_to_a_line_and_parses_back() {
    for lesson in lessons() {
        let text = lesson.solution_json();
        assert_eq!(
            lesson.read_answer(&text).unwrap(),
            lesson.solution(),
            "{}",
            lesson.id
        );
        assert_eq!(
            text.lines().count(),
            2 + match &lesson.work {
                Work::Sandbox(w) => w.solution.len(),
                Work::Registry(w) => w.solution.len(),
            }
        );
    }
}

#[test]
fn registry_lessons_are_judged_on_the_registry() {
    let lesson = lesson("release-to-an-immutable-repository").unwrap();
    let wrong = lesson.check(&lesson.wrong()).unwrap();
    assert_eq!(
        wrong.iter().map(|j| j.words.as_str()).collect::<Vec<_>>(),
        [
            "Repository web-release exists with tag immutability on and scan on push: there is no such repository.",
            "web-release:1.0 (the image of \u{201c}web build 44\u{201d}) is scanned and has no CRITICAL finding: there is no such repository.",
        ]
    );
    let solved = lesson.check(&lesson.solution()).unwrap();
    assert_eq!(
        solved[1].words,
        "web-release:1.0 (the image of \u{201c}web build 44\u{201d}) is scanned and has no CRITICAL finding: its scan found 1 HIGH, 1 MEDIUM, 1 INFORMATIONAL."
    );
    // The registries page exports its whole list: the start is taken off.
    let registry = lesson.registry().unwrap();
    let mut desk = registry.start_desk();
    for action in &registry.solution {
        desk.apply(action.clone()).unwrap();
    }
    let answer = lesson.read_answer(&desk.to_json()).unwrap();
    assert_eq!(answer, lesson.solution());
    assert!(all_met(&lesson.check(&answer).unwrap()));
    // The start's own CRITICAL image, pushed into web-release, fails.
    let critical = lesson
        .read_answer(r#"[{"do": "createRepository", "name": "web-release", "immutable": true, "scanOnPush": true},
                          {"do": "push", "repository": "web-release", "tag": "1.0", "content": "web build 41"}]"#)
        .unwrap();
    let judged = lesson.check(&critical).unwrap();
    assert!(judged[0].met && !judged[1].met, "{judged:?}");
    // So does another build whose scan happens to be clean: the goal
    // is the patched build, not any image without a CRITICAL finding.
    let other = lesson
        .read_answer(r#"[{"do": "createRepository", "name": "web-release", "immutable": true, "scanOnPush": true},
                          {"do": "push", "repository": "web-release", "tag": "1.0", "content": "web build 40"}]"#)
        .unwrap();
    let judged = lesson.check(&other).unwrap();
    assert!(judged[1].words.ends_with(", another image."), "{judged:?}");
    assert!(!judged[1].met);
    // Kinds do not mix.
    assert!(lesson
        .check(&Answer::Steps(Vec::new()))
        .unwrap_err()
        .starts_with("this lesson works on the registries page"));
    let sandbox = crate::lessons::lesson("run-a-service-on-fargate").unwrap();
    assert!(sandbox
        .check(&Answer::Actions(Vec::new()))
        .unwrap_err()
        .starts_with("this lesson works in the sandbox"));
    assert!(lesson
        .read_answer(r#"[{"do": "launchRockets"}]"#)
        .unwrap_err()
        .starts_with("actions[0].do: expected createRepository"));
    // A registry condition in a sandbox lesson is refused by position.
    let good = LESSON_FILES
        .iter()
        .find(|(id, _)| *id == "run-a-service-on-fargate")
        .unwrap()
        .1;
    // The compiled-in files are minified (build.rs).
    let mixed = good.replace(
        r#""goal":["#,
        r#""goal": [{"is": "repository", "repository": "x", "immutable": true}, "#,
    );
    assert_eq!(
        Lesson::parse(&mixed).unwrap_err(),
        "goal[0]: this condition is judged on the registry, and this lesson works in the sandbox"
    );
}

/// build.rs compiles in the shipped files without whitespace: the
/// values must be exactly the files' (strings with spaces and escapes
/// included), and the whitespace gone.
#[test]
fn the_compiled_in_files_are_the_shipped_ones_minified() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let lessons = LESSON_FILES
        .iter()
        .map(|(id, text)| (format!("lessons/{id}.lesson.json"), *text));
    let scenarios = crate::scenarios::SCENARIOS
        .iter()
        .map(|s| (format!("scenarios/{}.scenario.json", s.slug), s.json));
    for (path, compiled) in lessons.chain(scenarios) {
        let file = std::fs::read_to_string(root.join(&path)).unwrap();
        assert_eq!(
            serde_json::from_str::<Value>(compiled).unwrap(),
            serde_json::from_str::<Value>(&file).unwrap(),
            "{path}"
        );
        assert!(
            compiled.len() < file.len() && !compiled.contains('\n'),
            "{path}"
        );
    }
}

#[test]
fn a_bad_lesson_is_refused_by_field() {
    let good = LESSON_FILES
        .iter()
        .find(|(id, _)| *id == "run-a-service-on-fargate")
        .unwrap()
        .1;
    for (from, to, message) in [
        (
            "\"lesson\":1",
            "\"lesson\":2",
            "lesson: expected format version 1",
        ),
        (
            "\"chapter\":\"ecs-launch-types\"",
            "\"chapter\":\"nowhere\"",
            "chapter: there is no chapter",
        ),
        (
            "\"is\":\"tasksRunning\"",
            "\"is\":\"taskRunning\"",
            "goal[0]: is: expected",
        ),
        (
            "\"atLeast\":2",
            "\"atLeast\":\"2\"",
            "goal[0]: atLeast: expected a whole number",
        ),
    ] {
        assert!(good.contains(from), "{from}");
        let error = Lesson::parse(&good.replace(from, to)).unwrap_err();
        assert!(error.starts_with(message), "{to}: {error}");
    }
}

/// The app asks for a lesson on every render: it gets the one parsed
/// lesson, not a fresh parse.
#[test]
fn lessons_are_parsed_once() {
    let first = lesson("latest-is-only-a-tag").unwrap();
    assert!(std::ptr::eq(first, lesson("latest-is-only-a-tag").unwrap()));
    assert!(std::ptr::eq(first, &lessons()[0]));
    assert!(lesson("no-such-lesson").is_none());
}

/// Every lesson that needs no EKS object can be done in the terminal: it
/// has a solution in commands (which `dockyard lesson check` plays and
/// judges in crates/cli's tests). EKS and kubectl come with their own issue.
#[test]
fn every_lesson_without_eks_has_a_solution_in_commands() {
    use dockyard_model::sim::Command::*;
    let needs_eks = |lesson: &Lesson| match &lesson.work {
        Work::Sandbox(work) => work
            .solution
            .iter()
            .chain(work.start().steps.iter())
            .any(|step| {
                matches!(
                    step.command,
                    CreateEksCluster { .. }
                        | CreateNodeGroup(_)
                        | CreateFargateProfile(_)
                        | CreateDeployment(_)
                        | ScaleDeployment { .. }
                        | TerminateNode { .. }
                )
            }),
        Work::Registry(_) => false,
    };
    let missing: Vec<&str> = lessons()
        .iter()
        .filter(|lesson| !needs_eks(lesson))
        .filter(|lesson| lesson.commands().is_none())
        .map(|lesson| lesson.id.as_str())
        .collect();
    assert!(missing.is_empty(), "no solution in commands: {missing:?}");
}

/// One task is "1 task on 1 instance", not "1 tasks on 1 instances"
/// (issue 20, item 12).
#[test]
fn one_task_per_instance_counts_in_words() {
    let lesson = lesson("constraints-bind-strategies-prefer").expect("the lesson");
    let answer = lesson
        .read_answer(
            r#"[{"at": 0, "do": "createService", "cluster": "prod", "name": "api", "taskDefinition": "api", "desiredCount": 1, "capacity": "ec2"}]"#,
        )
        .expect("an answer");
    let judged = lesson.check(&answer).expect("judged");
    assert!(
        judged
            .iter()
            .any(|j| j.words.contains("1 task on 1 instance") && !j.words.contains("1 tasks")),
        "{judged:?}"
    );
}

/// The Fargate pod-size lesson asks for as much memory as the size allows:
/// 512 MiB gets the same 1 vCPU / 2 GB micro-VM and does not pass; 1792
/// MiB (2048 less Fargate's 256) does (issue 20, item 11).
#[test]
fn the_pod_size_lesson_wants_the_memory_the_size_leaves() {
    let lesson = lesson("fargate-sizes-pods-with-overhead").expect("the lesson");
    let deploy = |memory: u32| {
        format!(
            r#"[{{"at": 0, "do": "createDeployment", "cluster": "jobs", "name": "report", "namespace": "batch", "labels": {{"app": "report"}}, "replicas": 2, "cpuRequestMillicores": 1000, "memoryRequestMiB": {memory}}}]"#
        )
    };
    let small = lesson
        .check(&lesson.read_answer(&deploy(512)).unwrap())
        .unwrap();
    assert!(!all_met(&small), "{small:?}");
    assert!(
        small[0]
            .words
            .contains("requests 512 MiB; the size leaves 1792 MiB"),
        "{small:?}"
    );
    let full = lesson
        .check(&lesson.read_answer(&deploy(1792)).unwrap())
        .unwrap();
    assert!(all_met(&full), "{full:?}");
}

/// The execution-role lesson's brief says what happens when: nothing stops
/// while no task is started (its start keeps no runTask), and a report task
/// started as it is stops with CannotPullContainerError (issue 20, item 11
/// found the brief promising the error on Play alone).
#[test]
fn the_execution_role_lesson_fails_a_pull_when_a_task_is_started() {
    let lesson = lesson("the-execution-role-pulls-on-fargate").expect("the lesson");
    assert!(lesson.brief.contains("started as it is"));
    let pull_failed = |run: &dockyard_model::sim::scenario::Run| {
        serde_json::to_string(&run.events)
            .unwrap()
            .contains("CannotPullContainerError")
    };
    let work = lesson.sandbox().expect("a sandbox lesson");
    let mut start = work.start();
    assert!(!pull_failed(&start.run(None, Some(work.check_at))));
    start.steps.push(dockyard_model::sim::scenario::Step {
        at: 0,
        command: dockyard_model::sim::command_json::command_from_fields(
            "runTask",
            serde_json::json!({"cluster": "dev", "taskDefinition": "report", "capacity": "fargate"})
                .as_object()
                .unwrap(),
        )
        .unwrap(),
    });
    assert!(pull_failed(&start.run(None, Some(work.check_at))));
}

/// Every break-and-fix lesson starts broken for the cause it names (issue
/// 22): `verify` plays each from its start, and a task of the family stops
/// with the named error (or a pod is Pending, or a service cannot place or
/// launch its tasks), the model's chain of causes names the cause, and the
/// brief says what the learner sees.
#[test]
fn every_broken_lesson_fails_for_its_named_cause() {
    let broken: Vec<&Lesson> = lessons().iter().filter(|l| l.broken.is_some()).collect();
    assert!(broken.len() >= 6, "{} break-and-fix lessons", broken.len());
    for lesson in broken {
        assert_eq!(lesson.verify(), Vec::<String>::new(), "{}", lesson.id);
    }
    // And it can fail: a cause the chain does not name is reported.
    let mut wrong_cause = lessons()
        .iter()
        .find(|l| matches!(l.broken, Some(Broken::TaskStops { .. })))
        .unwrap()
        .clone();
    if let Some(Broken::TaskStops { because, .. }) = &mut wrong_cause.broken {
        *because = "a cause no chain names".into();
    }
    assert!(
        wrong_cause
            .verify()
            .iter()
            .any(|p| p.starts_with("broken.because:")),
        "{:?}",
        wrong_cause.verify()
    );
}

#[test]
fn broken_is_read_with_its_fields_named() {
    let good = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../lessons/the-execution-role-reads-the-secrets.lesson.json"
    ))
    .unwrap();
    let lesson = Lesson::parse(&good).unwrap();
    assert_eq!(
        lesson.broken,
        Some(Broken::TaskStops {
            family: "api".into(),
            stops_with: "ResourceInitializationError".into(),
            because: "secretsmanager:GetSecretValue".into(),
        })
    );
    let error = Lesson::parse(&good.replace("\"stopsWith\"", "\"stops\"")).unwrap_err();
    assert_eq!(error, "broken.stopsWith: expected a string");
    let error = Lesson::parse(&good.replace("\"broken\": {", "\"broken\": [{").replace(
        "\"because\": \"secretsmanager:GetSecretValue\"\n  },",
        "\"because\": \"secretsmanager:GetSecretValue\"\n  }],",
    ))
    .unwrap_err();
    assert!(error.starts_with("broken: expected an object"), "{error}");
}

/// Where the missing Allow is the repository's (another account's image),
/// the chain sends the learner to the repository policy, not to the role
/// whose own policy already allows the pull.
#[test]
fn a_cross_account_pull_is_fixed_in_the_repository_policy() {
    let lesson = lesson("pull-from-another-account").unwrap();
    let work = lesson.sandbox().unwrap();
    let mut player = Player::new(&work.start(), None);
    player.advance_to(seconds(work.check_at));
    let task = player
        .world
        .tasks()
        .find(|t| t.revision.family == "api" && !t.why.is_empty())
        .expect("api stops");
    let fix = &task.why.last().unwrap().said;
    assert!(
        fix.starts_with("What changes the answer: the resource's own policy")
            && fix.contains("repository/shared/base")
            && fix.contains("The role's own policies cannot grant it alone here."),
        "{fix}"
    );
}

/// The profile-alone wrong answer of the Fargate profile lesson: the
/// chain says the profile selects the pod now, that EKS decided at the
/// pod's creation, and that new pods are what changes it.
#[test]
fn a_pod_created_before_its_profile_says_new_pods_are_needed() {
    let lesson = lesson("pods-on-a-fargate-profile").unwrap();
    let work = lesson.sandbox().unwrap();
    let mut scenario = work.start();
    scenario.steps.extend(work.wrong.iter().cloned());
    let mut player = Player::new(&scenario, None);
    player.advance_to(seconds(work.check_at));
    let eks = player.world.eks();
    let pod = eks
        .pods
        .values()
        .find(|p| p.deployment == "web" && p.pending.is_some())
        .expect("web still Pending");
    let why = dockyard_model::sim::why::pending_pod(eks, pod);
    assert_eq!(why.len(), 3, "{why:#?}");
    assert!(
        why[1].said.starts_with("Fargate profile web-profile selects it now, but EKS decides Fargate once, when a pod is created"),
        "{why:#?}"
    );
    assert!(
        why[2]
            .said
            .contains("kubectl rollout restart deployment/web"),
        "{why:#?}"
    );
    assert_eq!(why[1].chapter, "eks-node-types");
}
