//! The shipped scenarios do what their descriptions promise, and Fargate reacts faster than EC2 waiting for instances.

use super::*;

#[test]
fn every_shipped_scenario_runs_without_refusals_and_replays_identically() {
    for name in shipped() {
        let scenario = scenario(&name);
        let first = scenario.run(None, None);
        assert!(first.refused.is_empty(), "{name}: {:?}", first.refused);
        assert!(!first.events.is_empty(), "{name}");
        assert_eq!(
            first.digest,
            scenario.run(None, None).digest,
            "{name} is not deterministic"
        );
    }
    assert_eq!(
        scenario("az-outage").run(None, None).digest,
        AZ_OUTAGE_DIGEST
    );
}

#[test]
fn an_az_outage_is_repaired_in_the_other_zones() {
    let run = scenario("az-outage").run(None, None);
    let lost_at = run
        .events
        .iter()
        .find(|e| matches!(e.what, What::AvailabilityZoneLost { .. }))
        .expect("the outage")
        .at;
    for event in run.events.iter().filter(|e| e.at >= lost_at) {
        if let What::TaskPlaced {
            placement: Placement::Ec2 { az, .. },
            ..
        } = &event.what
        {
            assert_ne!(az, "us-east-1a", "a task was placed in the lost zone");
        }
    }
    let lost_tasks = run
        .events
        .iter()
        .filter(|e| {
            matches!(
                &e.what,
                What::TaskStateChanged {
                    to: TaskState::Stopped,
                    ..
                }
            )
        })
        .count();
    assert_eq!(lost_tasks, 2, "the two tasks in us-east-1a");
    let last = run.timeline.last().unwrap();
    assert_eq!((last.services[0].desired, last.services[0].running), (6, 6));
    // Within a minute of the outage the service is whole again.
    let minute_after = run
        .timeline
        .iter()
        .find(|s| s.at >= lost_at + 60_000)
        .unwrap();
    assert_eq!(minute_after.services[0].running, 6);
}

#[test]
fn a_role_that_cannot_pull_stops_the_task_with_the_reason() {
    let run = scenario("cannot-pull-image").run(None, None);
    let stopped = run
        .events
        .iter()
        .find_map(|e| match &e.what {
            What::TaskStateChanged {
                to: TaskState::Stopped,
                reason: Some(reason),
                ..
            } => Some(reason.clone()),
            _ => None,
        })
        .expect("the task stops");
    assert!(stopped.starts_with("CannotPullContainerError"), "{stopped}");
    assert!(
        stopped.contains("logsOnlyExecutionRole") && stopped.contains("ecr:GetAuthorizationToken"),
        "{stopped}"
    );
    assert!(
        !stopped.contains("instance profile)"),
        "Fargate has no instance profile: {stopped}"
    );
}

/// Issue 22: the chain of causes behind the stop, from the same check
/// that stopped it: the call, who made it (the execution role, Fargate
/// having no instance profile), IAM's answer and what changes it, each
/// step with the chapter that teaches it.
#[test]
fn a_task_that_cannot_pull_says_why_step_by_step() {
    let mut player = Player::new(&scenario("cannot-pull-image"), None);
    player.advance_to(seconds(300));
    let task = player
        .world
        .tasks()
        .find(|t| t.state == TaskState::Stopped)
        .expect("a stopped task");
    let why: Vec<(&str, &str)> = task
        .why
        .iter()
        .map(|c| (c.chapter, c.said.as_str()))
        .collect();
    assert_eq!(why.len(), 4, "{why:#?}");
    assert!(
        why[0]
            .1
            .starts_with("CannotPullContainerError: the task stopped before its containers ran"),
        "{why:#?}"
    );
    assert_eq!(why[0].0, "ecs-core-concepts");
    assert!(
        why[1].1.starts_with("The call: pull a private ECR image on ECS on Fargate. It is made with the task execution role logsOnlyExecutionRole"),
        "{why:#?}"
    );
    assert!(
        why[2].1.starts_with("IAM's answer: an implicit deny.")
            && why[2].1.contains("ecr:GetAuthorizationToken on *"),
        "{why:#?}"
    );
    assert!(
        why[3].1.contains("allowing ecr:GetAuthorizationToken on * in a policy of the task execution role logsOnlyExecutionRole")
            && why[3].1.ends_with("The task role's permissions are never used for this call."),
        "{why:#?}"
    );
    assert!(why[1..].iter().all(|(chapter, _)| *chapter == "ecs-iam"));
    // The stopped reason says the same, in ECS's words.
    let reason = task.stopped_reason.as_deref().unwrap();
    assert!(
        reason.contains("logsOnlyExecutionRole") && reason.contains("ecr:GetAuthorizationToken")
    );
}

/// Docker Hub allows 100 anonymous pulls per 6 hours per address (rules §8,
/// §10 point 18): on Fargate, which caches nothing, the 101st task fails to
/// pull until the first pulls leave the window; an EC2 instance that has the
/// image cached falls back to it, and says so.
#[test]
fn docker_hub_limits_anonymous_pulls_and_a_cache_on_ec2_rides_it_out() {
    let mut player = Player::new(&scenario("docker-hub-rate-limit"), None);
    player.advance_to(seconds(900));
    let running = |world: &World, family: &str| {
        world
            .tasks()
            .filter(|t| t.state == TaskState::Running && t.revision.to_string().starts_with(family))
            .count()
    };
    // 90 workers and ten web tasks share the address's 100 pulls.
    assert_eq!(running(&player.world, "worker:"), 90);
    assert_eq!(running(&player.world, "web:"), 10);
    let refused = player
        .world
        .tasks()
        .filter_map(|t| t.stopped_reason.as_deref())
        .find(|r| r.contains("toomanyrequests"))
        .expect("a task refused by Docker Hub");
    assert!(
        refused.starts_with("CannotPullContainerError: toomanyrequests: You have reached your unauthenticated pull rate limit.")
            && refused.contains("100 pulls per 6 hours"),
        "{refused}"
    );
    // Still refused five hours on; six hours after the first pulls, the
    // window has room again.
    player.advance_to(seconds(5 * 3600));
    assert_eq!(running(&player.world, "web:"), 10);
    player.advance_to(seconds(6 * 3600 + 600));
    assert_eq!(running(&player.world, "web:"), 12);

    // On EC2: one instance pulls nginx while the window has room, then
    // keeps starting tasks on its cached image when Docker Hub refuses.
    let mut world = one_instance("m5.2xlarge");
    world
        .apply(Command::RegisterTaskDefinition {
            definition: definition(r#"{"family":"app","containerDefinitions":[{"name":"app","image":"nginx:1.27","memory":128,"cpu":32}]}"#),
        })
        .unwrap();
    world.advance_to(seconds(300));
    let mut events = world.apply(service("app", 110, None, vec![])).unwrap();
    events.extend(world.advance_to(seconds(1200)));
    assert_eq!(running(&world, "app:"), 110);
    assert!(world.tasks().all(|t| t
        .stopped_reason
        .as_deref()
        .is_none_or(|r| !r.contains("toomanyrequests"))));
    let fallbacks: Vec<String> = events
        .iter()
        .filter(|e| matches!(e.what, What::PullRefusedCacheUsed { .. }))
        .map(|e| e.what.describe())
        .collect();
    assert_eq!(fallbacks.len(), 10, "the pulls past the 100th");
    assert!(
        fallbacks[0].contains("the pull of nginx:1.27 was refused (toomanyrequests")
            && fallbacks[0].contains("the ECS agent used the copy cached on"),
        "{}",
        fallbacks[0]
    );
}

/// Docker credentials in repositoryCredentials are a Secrets Manager secret
/// that ECS reads with the execution role (rules §3): with no execution role
/// the task never pulls; with one allowed to read the secret, the pull is
/// counted against that account, not the shared anonymous allowance. A
/// same-Region secret may be named without its ARN; credentials on an ECR
/// image are not read; and `secrets` injected from Secrets Manager are read
/// by the same role before the task runs.
#[test]
fn repository_credentials_need_an_execution_role_that_can_read_them() {
    let secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:hub-AbCdEf";
    let ecr_image = "111122223333.dkr.ecr.us-east-1.amazonaws.com/team/app:v1";
    let taskdef = |family: &str, role: Option<&str>, image: &str, container: serde_json::Value| {
        let mut app = serde_json::json!({"name": "app", "image": image, "essential": true});
        for (key, value) in container.as_object().unwrap() {
            app[key] = value.clone();
        }
        let mut definition = serde_json::json!({
            "family": family,
            "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512",
            "containerDefinitions": [app]
        });
        if let Some(role) = role {
            definition["executionRoleArn"] = serde_json::json!(role);
        }
        serde_json::json!({"at": 0, "do": "registerTaskDefinition", "definition": definition})
    };
    let credentials = |parameter: &str| serde_json::json!({"repositoryCredentials": {"credentialsParameter": parameter}});
    let plain = Some("arn:aws:iam::111122223333:role/ecsTaskExecutionRole");
    let hub = Some("arn:aws:iam::111122223333:role/hubPuller");
    let service = |at: u64, name: &str, family: &str, count: u32| {
        serde_json::json!({"at": at, "do": "createService", "cluster": "c", "name": name,
                           "taskDefinition": family, "desiredCount": count, "capacity": "fargate"})
    };
    let json = serde_json::json!({
        "scenario": 1, "name": "credentials", "description": "", "seed": 1, "until": 600,
        "steps": [
            {"at": 0, "do": "createCluster", "name": "c"},
            {"at": 0, "do": "createRole", "name": "hubPuller", "trustedService": "ecs-tasks.amazonaws.com",
             "managedPolicies": ["AmazonECSTaskExecutionRolePolicy"],
             "policies": {"read-hub": {"Version": "2012-10-17", "Statement": [
                 {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                  "Resource": ["arn:aws:secretsmanager:us-east-1:111122223333:secret:hub-??????"]}]}}},
            // AWS's own examples grant the secret's exact ARN.
            {"at": 0, "do": "createRole", "name": "tokenReader", "trustedService": "ecs-tasks.amazonaws.com",
             "managedPolicies": ["AmazonECSTaskExecutionRolePolicy"],
             "policies": {"read-token": {"Version": "2012-10-17", "Statement": [
                 {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secret}]}}},
            taskdef("no-role", None, "nginx:1.27", credentials(secret)),
            taskdef("plain-role", plain, "nginx:1.27", credentials(secret)),
            taskdef("hub-role", hub, "nginx:1.27", credentials(secret)),
            taskdef("by-name", hub, "nginx:1.27", credentials("hub")),
            taskdef("by-name-plain", plain, "nginx:1.27", credentials("hub")),
            taskdef("ecr-with-credentials", plain, ecr_image, credentials(secret)),
            taskdef("injected", plain, ecr_image,
                    serde_json::json!({"secrets": [{"name": "TOKEN", "valueFrom": secret}]})),
            taskdef("anonymous", None, "nginx:1.27", serde_json::json!({})),
            // One JSON key of the secret: IAM still sees the secret's ARN.
            taskdef("injected-key", Some("arn:aws:iam::111122223333:role/tokenReader"), ecr_image,
                    serde_json::json!({"secrets": [{"name": "TOKEN", "valueFrom": format!("{secret}:password::")}]})),
            taskdef("empty-name", hub, "nginx:1.27", credentials("")),
            // The anonymous allowance is used up first, so that the
            // credentialed tasks can only start on their own accounts.
            service(0, "bulk", "anonymous", 100),
            service(120, "a", "no-role", 1),
            service(120, "b", "plain-role", 1),
            service(120, "d", "hub-role", 1),
            service(120, "e", "by-name", 1),
            service(120, "f", "by-name-plain", 1),
            service(120, "g", "ecr-with-credentials", 1),
            service(120, "h", "injected", 1),
            service(120, "i", "injected-key", 1),
            service(120, "j", "empty-name", 1),
            service(120, "late", "anonymous", 1)
        ]
    });
    let scenario = Scenario::parse(&json.to_string()).unwrap();
    let mut player = Player::new(&scenario, None);
    player.advance_to(seconds(600));
    assert!(player.refused.is_empty(), "{:?}", player.refused);
    let world = &player.world;
    let first_stop = |service: &str| {
        world
            .tasks()
            .filter(|t| t.service.as_deref() == Some(service))
            .find_map(|t| t.stopped_reason.clone())
    };
    let running = |service: &str| {
        world
            .tasks()
            .find(|t| t.service.as_deref() == Some(service) && t.state == TaskState::Running)
            .unwrap_or_else(|| panic!("{service} does not run: {:?}", first_stop(service)))
    };
    assert_eq!(
        world
            .tasks()
            .filter(|t| t.service.as_deref() == Some("bulk") && t.state == TaskState::Running)
            .count(),
        100
    );
    let late = first_stop("late").expect("the 101st anonymous pull is refused");
    assert!(late.contains("toomanyrequests"), "{late}");
    for (service, why) in [
        ("a", "without a task execution role".to_string()),
        ("b", "secretsmanager:GetSecretValue".to_string()),
        (
            "f",
            "secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:111122223333:secret:hub-XXXXXX"
                .to_string(),
        ),
        (
            "j",
            "repositoryCredentials.credentialsParameter \"\": a secret's name is 1 to 512".to_string(),
        ),
        ("h", format!("secretsmanager:GetSecretValue on {secret}")),
    ] {
        let reason = first_stop(service).unwrap_or_else(|| panic!("{service} never stops"));
        assert!(
            reason.starts_with(
                "ResourceInitializationError: unable to pull secrets or registry auth: "
            ) && reason.contains(&why),
            "{service}: {reason}"
        );
    }
    // The chains behind them (issue 22): no execution role at all, a role
    // whose policies do not allow the secret, a name that is no secret's.
    let why = |service: &str| -> Vec<String> {
        world
            .tasks()
            .find(|t| t.service.as_deref() == Some(service) && !t.why.is_empty())
            .map(|t| t.why.iter().map(|c| c.said.clone()).collect())
            .unwrap_or_else(|| panic!("{service} says no why"))
    };
    let a = why("a");
    assert!(
        a[0].starts_with("ResourceInitializationError: the task stopped"),
        "{a:#?}"
    );
    assert!(
        a[1].contains("No principal has credentials for it.") && !a[1].contains("made with"),
        "{a:#?}"
    );
    assert!(
        a[2].starts_with("IAM's answer: none. No credentials: nothing can sign the request"),
        "{a:#?}"
    );
    assert!(a[3].contains("executionRoleArn"), "{a:#?}");
    let h = why("h");
    assert!(
        h[1].starts_with("The call: fetch secrets at start on "),
        "{h:#?}"
    );
    assert!(h[1].contains("task execution role"), "{h:#?}");
    assert!(
        h[3].contains(&format!(
            "allowing secretsmanager:GetSecretValue on {secret}"
        )),
        "{h:#?}"
    );
    let j = why("j");
    assert_eq!(j.len(), 2, "{j:#?}");
    assert!(j[1].contains("a secret's name is 1 to 512"), "{j:#?}");
    for service in ["d", "e", "g", "i"] {
        assert_eq!(first_stop(service), None, "{service}");
        running(service);
        assert!(world
            .tasks()
            .filter(|t| t.service.as_deref() == Some(service))
            .all(|t| t.why.is_empty()));
    }
    let login = |service: &str| {
        world
            .task_calls(&running(service).id, &[])
            .into_iter()
            .find(|c| c.call.to_string().starts_with("registry-login "))
    };
    let d = login("d").expect("the login is listed among the task's calls");
    assert!(d.is_allowed());
    assert_eq!(d.principal.label(), "task execution role");
    let e = login("e").expect("a login by name");
    assert_eq!(
        e.call.to_string(),
        "registry-login arn:aws:secretsmanager:us-east-1:111122223333:secret:hub-XXXXXX"
    );
    assert!(e.is_allowed());
    assert!(
        login("g").is_none(),
        "an ECR image is pulled with ECR authorization; its repositoryCredentials are not read"
    );
}

#[test]
fn fargate_spot_interruptions_warn_and_are_replaced() {
    let run = scenario("fargate-spot-interruption").run(None, None);
    let warnings = run
        .events
        .iter()
        .filter(|e| matches!(e.what, What::SpotInterruptionWarning { .. }))
        .count();
    assert_eq!(warnings, 2);
    let reasons: Vec<&str> = run
        .events
        .iter()
        .filter_map(|e| match &e.what {
            What::TaskStateChanged {
                to: TaskState::Stopped,
                reason: Some(r),
                ..
            } => Some(r.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        reasons,
        vec![
            "Your Spot Task was interrupted.",
            "Your Spot Task was interrupted."
        ]
    );
    assert_eq!(run.timeline.last().unwrap().services[0].running, 6);
    // The base of 2 stays on FARGATE; the rest splits 1:3.
    let placements: Vec<bool> = run
        .events
        .iter()
        .filter_map(|e| match &e.what {
            What::TaskPlaced {
                placement: Placement::Fargate { spot, .. },
                ..
            } => Some(*spot),
            _ => None,
        })
        .take(6)
        .collect();
    assert_eq!(
        placements.iter().filter(|spot| !**spot).count(),
        3,
        "{placements:?}"
    );
}

#[test]
fn fargate_reacts_faster_than_ec2_waiting_for_instances() {
    let fargate = reaction_seconds("web-on-fargate");
    let ec2 = reaction_seconds("web-on-ec2-capacity-provider");
    assert!(fargate < ec2, "Fargate {fargate} s, EC2 {ec2} s");
    let ec2_run = scenario("web-on-ec2-capacity-provider").run(None, None);
    assert!(ec2_run
        .events
        .iter()
        .any(|e| matches!(e.what, What::CapacityProviderScaling { .. })));
    // Tasks wait in PROVISIONING for the group's new instances.
    assert!(ec2_run.events.iter().any(|e| matches!(
        &e.what,
        What::TaskPlaced {
            placement: Placement::AwaitingCapacity { .. },
            ..
        }
    )));
    let fargate_run = scenario("web-on-fargate").run(None, None);
    let (a, b) = (
        fargate_run.timeline.last().unwrap().cost,
        ec2_run.timeline.last().unwrap().cost,
    );
    assert!(a > 0.0 && b > 0.0 && a != b, "{a} {b}");
}

/// awslogs is checked as the containers start: the role that ships the
/// logs (the execution role on Fargate; on EC2 the execution role when the
/// task has one, else the instance role) must be allowed to create the
/// stream and put events, or the task stops before it runs.
#[test]
fn awslogs_needs_the_shipping_role_allowed_to_write_the_group_at_task_start() {
    let logs = serde_json::json!({"logDriver": "awslogs", "options": {
        "awslogs-group": "/ecs/app", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app"}});
    let taskdef = |family: &str, fargate: bool, role: Option<&str>| {
        let mut definition = serde_json::json!({
            "family": family,
            "containerDefinitions": [{"name": "app", "image": "public.ecr.aws/nginx/nginx:1.27",
                                      "essential": true, "memory": 256, "logConfiguration": logs}]
        });
        if fargate {
            for (key, value) in [
                ("requiresCompatibilities", serde_json::json!(["FARGATE"])),
                ("networkMode", serde_json::json!("awsvpc")),
                ("cpu", serde_json::json!("256")),
                ("memory", serde_json::json!("512")),
            ] {
                definition[key] = value;
            }
        }
        if let Some(role) = role {
            definition["executionRoleArn"] =
                serde_json::json!(format!("arn:aws:iam::111122223333:role/{role}"));
        }
        serde_json::json!({"at": 0, "do": "registerTaskDefinition", "definition": definition})
    };
    let service = |name: &str, family: &str, capacity: &str| {
        serde_json::json!({"at": 60, "do": "createService", "cluster": "c", "name": name,
                           "taskDefinition": family, "desiredCount": 1, "capacity": capacity})
    };
    // Pulls from ECR, but may not write logs.
    let pull_only = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "Resource": "*"}]});
    let json = serde_json::json!({
        "scenario": 1, "name": "logs", "description": "", "seed": 1, "until": 600,
        "steps": [
            {"at": 0, "do": "createCluster", "name": "c"},
            {"at": 0, "do": "launchInstances", "cluster": "c", "instanceType": "m5.large", "az": "us-east-1a", "count": 2},
            {"at": 0, "do": "createRole", "name": "pullOnly", "trustedService": "ecs-tasks.amazonaws.com",
             "managedPolicies": [], "policies": {"pull": pull_only}},
            taskdef("fargate-mute", true, Some("pullOnly")),
            taskdef("fargate-ok", true, Some("ecsTaskExecutionRole")),
            taskdef("ec2-mute", false, Some("pullOnly")),
            taskdef("ec2-instance-role", false, None),
            service("fm", "fargate-mute", "fargate"),
            service("fo", "fargate-ok", "fargate"),
            service("em", "ec2-mute", "ec2"),
            service("ei", "ec2-instance-role", "ec2"),
        ]
    });
    let scenario = Scenario::parse(&json.to_string()).unwrap();
    let mut player = Player::new(&scenario, None);
    player.advance_to(seconds(400));
    assert!(player.refused.is_empty(), "{:?}", player.refused);
    let world = &player.world;
    let first_stop = |service: &str| {
        world
            .tasks()
            .filter(|t| t.service.as_deref() == Some(service))
            .find_map(|t| t.stopped_reason.clone())
    };
    let fargate = first_stop("fm").expect("the Fargate task cannot write its logs");
    assert!(
        fargate.starts_with("ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/pullOnly/")
            && fargate.contains("is not authorized to perform: logs:CreateLogStream on resource: arn:aws:logs:us-east-1:111122223333:log-group:/ecs/app:log-stream:"),
        "{fargate}"
    );
    let ec2 = first_stop("em").expect("the EC2 task's execution role ships its logs");
    assert!(
        ec2.starts_with("CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/pullOnly/"),
        "{ec2}"
    );
    // Who ships the logs, in the chain: the execution role on both.
    for (service, error) in [
        ("fm", "ResourceInitializationError"),
        ("em", "CannotStartContainerError"),
    ] {
        let task = world
            .tasks()
            .find(|t| t.service.as_deref() == Some(service) && !t.why.is_empty())
            .unwrap();
        assert!(task.why[0].said.starts_with(error), "{:#?}", task.why);
        assert!(
            task.why[1].said.contains("ship logs (awslogs)")
                && task.why[1].said.contains("task execution role pullOnly"),
            "{:#?}",
            task.why
        );
        assert!(
            task.why[3].said.contains("logs:CreateLogStream"),
            "{:#?}",
            task.why
        );
    }
    for service in ["fo", "ei"] {
        assert_eq!(first_stop(service), None, "{service}");
        assert!(world
            .tasks()
            .any(|t| t.service.as_deref() == Some(service) && t.state == TaskState::Running));
    }
}

/// ECS's service throttle logic: tasks that keep stopping before RUNNING
/// make the scheduler wait longer and longer between launches (up to about
/// 27 minutes) and say `(service NAME) is unable to consistently start
/// tasks successfully.`; UpdateService resumes normal scheduling.
#[test]
fn a_service_whose_tasks_keep_failing_to_start_is_throttled_until_it_is_updated() {
    let json = serde_json::json!({
        "scenario": 1, "name": "throttle", "description": "", "seed": 1, "until": 7200,
        "steps": [
            {"at": 0, "do": "createCluster", "name": "dev"},
            {"at": 0, "do": "createRole", "name": "logsOnly", "trustedService": "ecs-tasks.amazonaws.com",
             "policies": {"logs": {"Version": "2012-10-17", "Statement": [
                 {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]}}},
            {"at": 0, "do": "registerTaskDefinition", "definition": {
                "family": "report", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
                "cpu": "256", "memory": "512",
                "executionRoleArn": "arn:aws:iam::111122223333:role/logsOnly",
                "containerDefinitions": [{"name": "report", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/report:1.0", "essential": true}]}},
            {"at": 10, "do": "createService", "cluster": "dev", "name": "report", "taskDefinition": "report",
             "desiredCount": 2, "capacity": "fargate"}
        ]
    });
    let scenario = Scenario::parse(&json.to_string()).unwrap();
    let run = scenario.run(None, None);
    let events = &run.events;
    let impaired: Vec<(u64, u64)> = events
        .iter()
        .filter_map(|e| match &e.what {
            What::ServiceTaskStartImpaired {
                retry_in_seconds, ..
            } => Some((e.at, *retry_in_seconds)),
            _ => None,
        })
        .collect();
    assert!(impaired.len() >= 4, "{impaired:?}");
    let waits: Vec<u64> = impaired.iter().map(|(_, w)| *w).collect();
    assert!(
        waits.windows(2).all(|w| w[1] >= w[0]),
        "ever longer: {waits:?}"
    );
    assert_eq!(
        *waits.last().unwrap(),
        27 * 60,
        "capped at 27 minutes: {waits:?}"
    );
    let message = events
        .iter()
        .find(|e| matches!(e.what, What::ServiceTaskStartImpaired { .. }))
        .unwrap()
        .what
        .describe();
    assert!(
        message.starts_with("(service report) is unable to consistently start tasks successfully."),
        "{message}"
    );
    // Without the throttle a failing task is retried at once: thousands of
    // launches in two hours. With it, a few dozen.
    let launched = events
        .iter()
        .filter(|e| matches!(e.what, What::TaskPlaced { .. }))
        .count();
    assert!(launched < 60, "{launched} launches in two hours");

    // UpdateService resumes normal scheduling at once.
    let mut player = Player::new(&scenario, None);
    player.advance_to(seconds(7200));
    let before = player.world.tasks().count();
    player
        .world
        .apply(Command::UpdateService {
            service: "report".into(),
            desired_count: 2,
        })
        .unwrap();
    player.world.advance_to(seconds(7200) + 30_000);
    assert!(
        player.world.tasks().count() > before,
        "launches again after the update"
    );
}

/// The confused deputy (IAM User Guide, "The confused deputy problem"): a
/// task role whose trust policy pins aws:SourceAccount and aws:SourceArn
/// to another account cannot be assumed by ECS for this account's tasks;
/// pinned to this account, it can. ECS supplies the account and the task's
/// ARN.
#[test]
fn a_trust_policy_condition_decides_whether_ecs_may_assume_the_task_role() {
    let trust = |account: &str| {
        serde_json::json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": account},
                          "ArnLike": {"aws:SourceArn": format!("arn:aws:ecs:us-east-1:{account}:*")}}}]})
    };
    let read = serde_json::json!({"read": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}});
    let taskdef = |family: &str, role: &str| {
        serde_json::json!({"at": 0, "do": "registerTaskDefinition", "definition": {
            "family": family, "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
            "cpu": "256", "memory": "512", "taskRoleArn": format!("arn:aws:iam::111122223333:role/{role}"),
            "containerDefinitions": [{"name": "app", "image": "public.ecr.aws/nginx/nginx:1.27", "essential": true}]}})
    };
    let json = serde_json::json!({
        "scenario": 1, "name": "deputy", "description": "", "seed": 1, "until": 600,
        "steps": [
            {"at": 0, "do": "createCluster", "name": "c"},
            {"at": 0, "do": "createRole", "name": "ours", "trustedService": "ecs-tasks.amazonaws.com",
             "trustPolicy": trust("111122223333"), "policies": read},
            {"at": 0, "do": "createRole", "name": "theirs", "trustedService": "ecs-tasks.amazonaws.com",
             "trustPolicy": trust("444455556666"), "policies": read},
            taskdef("ours", "ours"),
            taskdef("theirs", "theirs"),
            {"at": 10, "do": "createService", "cluster": "c", "name": "ours", "taskDefinition": "ours", "desiredCount": 1, "capacity": "fargate"},
            {"at": 10, "do": "createService", "cluster": "c", "name": "theirs", "taskDefinition": "theirs", "desiredCount": 1, "capacity": "fargate"}
        ]
    });
    let scenario = Scenario::parse(&json.to_string()).unwrap();
    let run = scenario.run(None, None);
    let mut player = Player::new(&scenario, None);
    player.advance_to(seconds(300));
    assert!(player.refused.is_empty(), "{:?}", player.refused);
    let read = dockyard_model::iam::AppCall::parse("read s3://reports/q1.csv").unwrap();
    let ours = player
        .world
        .tasks()
        .find(|t| t.service.as_deref() == Some("ours") && t.state == TaskState::Running)
        .expect("ECS assumes our role and launches the task")
        .id
        .clone();
    let call = player.world.task_calls(&ours, &[read]).pop().unwrap();
    assert!(call.is_allowed(), "{}", call.explanation);
    // The other role's conditions do not hold: ECS cannot assume it, so it
    // never launches the task, and says so in its words.
    assert!(player
        .world
        .tasks()
        .all(|t| t.service.as_deref() != Some("theirs")));
    let failed = run
        .events
        .iter()
        .find_map(|e| match &e.what {
            What::TaskLaunchFailed {
                service: Some(s),
                reason,
            } if s == "theirs" => Some(reason.clone()),
            _ => None,
        })
        .expect("a launch failure");
    assert!(
        failed.starts_with("ECS was unable to assume the role 'arn:aws:iam::111122223333:role/theirs' that was provided for this task.")
            && failed.contains("aws:SourceAccount")
            && failed.contains("444455556666"),
        "{failed}"
    );
    assert!(player
        .world
        .service("theirs")
        .unwrap()
        .launch_failure
        .is_some());
    // RunTask is refused the same way.
    let refused = player
        .world
        .apply(Command::RunTask {
            assign_public_ip: None,
            cluster: "c".into(),
            task_definition: "theirs".into(),
            count: 1,
            capacity: dockyard_model::sim::Capacity::Fargate,
        })
        .unwrap_err();
    assert_eq!(refused.code, "role-not-assumable");
}
