//! The AWS CLI against a real scenario's world: outputs, errors, exit
//! statuses, and every response checked against the operation's output
//! shape in AWS's API model (member names and types).

use std::collections::BTreeMap;

use serde_json::Value;

use dockyard_model::registry::desk::{self, Action, Desk};
use dockyard_model::sim::scenario::Scenario;
use dockyard_model::sim::{Command, Millis, Parameters, World};

use crate::api::{self, Kind, Shape};
use crate::{script, Cloud, DockerEngine, Output, Refused};

pub(crate) struct TestCloud {
    pub(crate) world: World,
    pub(crate) files: BTreeMap<String, String>,
    pub(crate) events: Vec<dockyard_model::sim::Event>,
    /// The registries, on a page that has them (as the Registries page).
    pub(crate) desk: Option<Desk>,
    pub(crate) docker: Option<DockerEngine>,
}

impl TestCloud {
    /// A shipped scenario's world after its first `keep` steps.
    pub(crate) fn scenario(text: &str, keep: usize) -> TestCloud {
        let mut scenario = Scenario::parse(text).expect("a shipped scenario parses");
        scenario.steps.truncate(keep);
        let mut world = World::new(
            scenario.seed,
            scenario.parameters.clone(),
            &scenario.region,
            scenario.availability_zones.clone(),
        );
        let mut events = Vec::new();
        for step in scenario.steps {
            events.extend(world.advance_to(step.at * 1000));
            events.extend(
                world
                    .apply(step.command)
                    .expect("a shipped step is accepted"),
            );
        }
        TestCloud {
            world,
            files: BTreeMap::new(),
            events,
            desk: None,
            docker: None,
        }
    }

    /// The Registries page: an account with no ECS resources, the desk
    /// after `start`, and docker with no local images.
    pub(crate) fn registries(start: &[Action]) -> TestCloud {
        let mut desk = Desk::new();
        for action in start {
            desk.apply(action.clone())
                .expect("the test's start applies");
        }
        TestCloud {
            world: World::new(
                0,
                Parameters::default(),
                desk::REGION,
                vec!["us-east-1a".into(), "us-east-1b".into()],
            ),
            files: BTreeMap::new(),
            events: Vec::new(),
            desk: Some(desk),
            docker: Some(DockerEngine::default()),
        }
    }

    pub(crate) fn desk(&self) -> &Desk {
        self.desk.as_ref().expect("a cloud with registries")
    }

    /// The start of the lesson "Run a service on Fargate": the cluster
    /// shop and the task definition web, and no service yet.
    pub(crate) fn web_on_fargate() -> TestCloud {
        TestCloud::scenario(
            include_str!("../../../../scenarios/web-on-fargate.scenario.json"),
            2,
        )
    }

    pub(crate) fn run(&mut self, line: &str) -> Output {
        let commands = script::parse_script(line).expect("the test's line parses");
        crate::run_command(self, &commands[0])
    }
}

impl Cloud for TestCloud {
    fn world(&self) -> &World {
        &self.world
    }
    fn apply(&mut self, command: Command) -> Result<(), Refused> {
        let events = self.world.apply(command).map_err(|rejection| Refused {
            code: Some(rejection.code),
            message: rejection.message,
        })?;
        self.events.extend(events);
        Ok(())
    }
    fn advance(&mut self, by: Millis) -> Millis {
        let to = self.world.now() + by;
        let events = self.world.advance_to(to);
        self.events.extend(events);
        by
    }
    fn events(&self) -> &[dockyard_model::sim::Event] {
        &self.events
    }
    fn read_file(&self, path: &str) -> Result<String, String> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| format!("[Errno 2] No such file or directory: '{path}'"))
    }
    fn files(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }
    fn write_file(&mut self, path: &str, text: String) -> Result<(), String> {
        self.files.insert(path.to_string(), text);
        Ok(())
    }
    fn remove_file(&mut self, path: &str) -> Result<(), String> {
        self.files
            .remove(path)
            .map(|_| ())
            .ok_or_else(|| "no such file".to_string())
    }
    fn desk(&self) -> Option<&Desk> {
        self.desk.as_ref()
    }
    fn act(&mut self, action: Action) -> Result<String, String> {
        match &mut self.desk {
            Some(desk) => desk.apply(action),
            None => Err("no registries here".to_string()),
        }
    }
    fn docker(&self) -> Option<&DockerEngine> {
        self.docker.as_ref()
    }
    fn docker_mut(&mut self) -> Option<&mut DockerEngine> {
        self.docker.as_mut()
    }
}

/// Every member of `value` is a member of `shape`, of its type.
fn conforms(value: &Value, shape: &Shape<'_>, path: &str, problems: &mut Vec<String>) {
    match (shape.kind(), value) {
        (_, Value::Null) => problems.push(format!("{path}: null")),
        // IAM returns policy documents URL-encoded; the AWS CLI decodes
        // them and prints the JSON object (awscli's iam customization).
        (Kind::String, Value::Object(_)) if shape.name == "policyDocumentType" => {}
        (Kind::Structure, Value::Object(map)) => {
            for (key, child) in map {
                match shape.member(key) {
                    Some(member) => conforms(child, &member, &format!("{path}.{key}"), problems),
                    None => {
                        problems.push(format!("{path}: {key} is not a member of {}", shape.name))
                    }
                }
            }
        }
        (Kind::Map, Value::Object(map)) => {
            for (key, child) in map {
                conforms(child, &shape.value(), &format!("{path}.{key}"), problems);
            }
        }
        (Kind::List, Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                conforms(item, &shape.item(), &format!("{path}[{index}]"), problems);
            }
        }
        (Kind::String | Kind::Timestamp | Kind::Blob, Value::String(text)) => {
            let values = shape.enum_values();
            if !values.is_empty() && !values.contains(&text.as_str()) {
                problems.push(format!("{path}: {text} is not one of {}", shape.name));
            }
        }
        (Kind::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => {}
        (Kind::Float, Value::Number(_)) => {}
        (Kind::Boolean, Value::Bool(_)) => {}
        (kind, other) => problems.push(format!(
            "{path}: {other} is not a {kind:?} ({})",
            shape.name
        )),
    }
}

/// Runs `line`, which must succeed, and checks its JSON against the model.
pub(crate) fn checked(cloud: &mut TestCloud, line: &str) -> Value {
    let out = cloud.run(line);
    assert_eq!(out.status, 0, "{line}\n{}{:?}", out.stderr, out.notes);
    let words = script::parse_script(line).unwrap().remove(0).words;
    let api = api::service(&words[1]).unwrap();
    let operation = api.operation(&words[2]).unwrap();
    let value: Value = serde_json::from_str(&out.stdout).unwrap_or(Value::Null);
    let mut problems = Vec::new();
    conforms(
        &value,
        &operation.output().unwrap(),
        "output",
        &mut problems,
    );
    assert!(problems.is_empty(), "{line}:\n{}", problems.join("\n"));
    value
}

fn subnets(cloud: &TestCloud) -> String {
    cloud
        .world
        .default_vpc()
        .subnets
        .iter()
        .map(|s| s.subnet_id.clone())
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn the_first_lesson_by_commands() {
    let mut cloud = TestCloud::web_on_fargate();
    let clusters = checked(&mut cloud, "aws ecs list-clusters");
    assert_eq!(
        clusters["clusterArns"][0],
        "arn:aws:ecs:us-east-1:111122223333:cluster/shop"
    );
    // Fargate means awsvpc: without a network configuration ECS refuses.
    let out = cloud.run("aws ecs create-service --cluster shop --service-name web --task-definition web --desired-count 2 --launch-type FARGATE");
    assert_eq!(out.status, 254);
    assert_eq!(
        out.stderr,
        "\nAn error occurred (InvalidParameterException) when calling the CreateService operation: Network Configuration must be provided when networkMode 'awsvpc' is specified.\n"
    );
    assert!(
        out.notes[0].contains("network-configuration"),
        "{:?}",
        out.notes
    );
    let line = format!(
        "aws ecs create-service --cluster shop --service-name web --task-definition web --desired-count 2 --launch-type FARGATE --network-configuration 'awsvpcConfiguration={{subnets=[{}],assignPublicIp=ENABLED}}'",
        subnets(&cloud)
    );
    let created = checked(&mut cloud, &line);
    assert_eq!(created["service"]["serviceName"], "web");
    assert_eq!(created["service"]["launchType"], "FARGATE");
    assert_eq!(created["service"]["desiredCount"], 2);
    // The waiter runs the clock until the service is stable.
    let out = cloud.run("aws ecs wait services-stable --cluster shop --services web");
    assert_eq!(
        (out.status, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
    assert!(
        out.notes[0].starts_with("The simulated clock moved"),
        "{:?}",
        out.notes
    );
    let described = checked(
        &mut cloud,
        "aws ecs describe-services --cluster shop --services web",
    );
    assert_eq!(described["services"][0]["runningCount"], 2);
    let tasks = checked(
        &mut cloud,
        "aws ecs list-tasks --cluster shop --service-name web",
    );
    assert_eq!(tasks["taskArns"].as_array().unwrap().len(), 2);
    let arn = tasks["taskArns"][0].as_str().unwrap().to_string();
    let described = checked(
        &mut cloud,
        &format!("aws ecs describe-tasks --cluster shop --tasks {arn}"),
    );
    assert_eq!(described["tasks"][0]["lastStatus"], "RUNNING");
    assert_eq!(described["tasks"][0]["launchType"], "FARGATE");
    let query = cloud.run("aws ecs describe-services --cluster shop --services web --query 'services[0].runningCount' --output text");
    assert_eq!(query.stdout, "2\n");
}

#[test]
fn usage_errors_are_the_clis() {
    let mut cloud = TestCloud::web_on_fargate();
    let out = cloud.run("aws ecs crate-service");
    assert_eq!(out.status, 252);
    assert!(out.stderr.starts_with("\naws: error: argument operation: Found invalid choice 'crate-service'\n\nMaybe you meant:\n\n  * create-service\n"), "{}", out.stderr);
    let out = cloud.run("aws ecs list-services --clustr shop");
    assert_eq!(out.status, 252);
    assert!(
        out.stderr.contains("Unknown options: --clustr, shop"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("* --cluster"), "{}", out.stderr);
    let out = cloud.run("aws ecs create-service --cluster shop");
    assert_eq!(out.status, 252);
    assert_eq!(
        out.stderr,
        "\nParameter validation failed:\nMissing required parameter in input: \"serviceName\"\n"
    );
    let out = cloud.run("aws ecs update-service --service web --desired-count two");
    assert_eq!(out.status, 252);
    assert!(out.stderr.contains("Invalid type for parameter desiredCount, value: two, type: <class 'str'>, valid types: <class 'int'>"), "{}", out.stderr);
    let out =
        cloud.run("aws ecs describe-services --cluster shop --services web --query 'services['");
    assert_eq!(out.status, 252);
    let out = cloud.run("aws ecss list-clusters");
    assert!(
        out.stderr.contains("Maybe you meant:\n\n  * ecs"),
        "{}",
        out.stderr
    );
    let out = cloud.run("aws ecs create-service --service-name x --network-configuration 'awsvpcConfiguration={subnets=[a]'");
    assert_eq!(out.status, 252);
    assert!(
        out.stderr.contains(
            "Error parsing parameter '--network-configuration': Expected: '}', received: 'EOF'"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn service_errors_are_the_apis() {
    let mut cloud = TestCloud::web_on_fargate();
    let out = cloud.run("aws ecs list-services --cluster nowhere");
    assert_eq!(out.status, 254);
    assert_eq!(out.stderr, "\nAn error occurred (ClusterNotFoundException) when calling the ListServices operation: Cluster not found.\n");
    let out = cloud.run("aws ecs describe-services --cluster shop --services ghost");
    assert_eq!(out.status, 0);
    let value: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(value["failures"][0]["reason"], "MISSING");
    let out = cloud.run("aws ecs create-service --cluster shop --service-name web --task-definition web --network-configuration 'awsvpcConfiguration={subnets=[subnet-nope]}'");
    assert_eq!(out.status, 254);
    assert!(
        out.stderr.contains("(InvalidParameterException)") && out.stderr.contains("subnet-nope"),
        "{}",
        out.stderr
    );
    let out = cloud.run("aws iam get-role --role-name ghost");
    assert_eq!(out.stderr, "\nAn error occurred (NoSuchEntity) when calling the GetRole operation: The role with name ghost cannot be found.\n");
}

#[test]
fn every_exception_a_translation_returns_is_documented_for_its_operation() {
    // The exceptions each translation can answer with, by operation.
    let uses: &[(&str, &str, &[&str])] = &[
        (
            "ecs",
            "CreateService",
            &[
                "ClusterNotFoundException",
                "InvalidParameterException",
                "ClientException",
            ],
        ),
        (
            "ecs",
            "UpdateService",
            &[
                "ServiceNotFoundException",
                "ClusterNotFoundException",
                "ClientException",
                "InvalidParameterException",
            ],
        ),
        (
            "ecs",
            "RunTask",
            &[
                "ClusterNotFoundException",
                "InvalidParameterException",
                "ClientException",
            ],
        ),
        (
            "ecs",
            "StopTask",
            &["ClusterNotFoundException", "InvalidParameterException"],
        ),
        (
            "ecs",
            "ListTasks",
            &["ClusterNotFoundException", "ServiceNotFoundException"],
        ),
        ("ecs", "DescribeTaskDefinition", &["ClientException"]),
        ("ecs", "RegisterTaskDefinition", &["ClientException"]),
        ("iam", "GetRole", &["NoSuchEntityException"]),
        (
            "ecr",
            "CreateRepository",
            &[
                "RepositoryAlreadyExistsException",
                "InvalidParameterException",
            ],
        ),
        (
            "ecr",
            "DescribeRepositories",
            &["RepositoryNotFoundException"],
        ),
        (
            "ecr",
            "DescribeImages",
            &["RepositoryNotFoundException", "ImageNotFoundException"],
        ),
        ("ecr", "ListImages", &["RepositoryNotFoundException"]),
        (
            "ecr",
            "StartImageScan",
            &[
                "RepositoryNotFoundException",
                "ImageNotFoundException",
                "LimitExceededException",
                "InvalidParameterException",
            ],
        ),
        (
            "ecr",
            "DescribeImageScanFindings",
            &[
                "RepositoryNotFoundException",
                "ImageNotFoundException",
                "ScanNotFoundException",
            ],
        ),
        (
            "ecr",
            "GetLifecyclePolicy",
            &[
                "RepositoryNotFoundException",
                "LifecyclePolicyNotFoundException",
            ],
        ),
        (
            "iam",
            "CreateRole",
            &[
                "EntityAlreadyExistsException",
                "MalformedPolicyDocumentException",
            ],
        ),
    ];
    for (service, name, exceptions) in uses {
        let api = api::service(service).unwrap();
        let operation = api.operations().find(|op| op.name == *name).unwrap();
        for exception in *exceptions {
            assert!(
                operation.errors().contains(exception),
                "{name} does not document {exception}"
            );
        }
    }
}

#[test]
fn skeletons_and_input_json_come_from_the_model() {
    let mut cloud = TestCloud::web_on_fargate();
    let out = cloud.run("aws ecs create-service --generate-cli-skeleton");
    let skeleton: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(skeleton["launchType"], "EC2");
    assert_eq!(skeleton["desiredCount"], 0);
    assert!(skeleton["networkConfiguration"]["awsvpcConfiguration"]["subnets"].is_array());
    cloud.files.insert(
        "web.json".into(),
        format!(
            r#"{{"cluster": "shop", "serviceName": "web", "taskDefinition": "web", "desiredCount": 1, "launchType": "FARGATE",
                "networkConfiguration": {{"awsvpcConfiguration": {{"subnets": ["{}"]}}}}}}"#,
            cloud.world.default_vpc().subnets[0].subnet_id
        ),
    );
    let created = checked(
        &mut cloud,
        "aws ecs create-service --cli-input-json file://web.json --desired-count 3",
    );
    assert_eq!(
        created["service"]["desiredCount"], 3,
        "a flag wins over the file"
    );
    let out = cloud.run("aws ecs create-service --cli-input-json file://missing.json");
    assert_eq!(out.status, 252);
    assert!(
        out.stderr
            .contains("Unable to load paramfile file://missing.json"),
        "{}",
        out.stderr
    );
}

#[test]
fn task_definitions_register_and_describe() {
    let mut cloud = TestCloud::web_on_fargate();
    cloud.files.insert(
        "api.json".into(),
        r#"{"family": "api", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
            "containerDefinitions": [{"name": "api", "image": "public.ecr.aws/nginx/nginx:1.27", "essential": true}]}"#.into(),
    );
    let registered = checked(
        &mut cloud,
        "aws ecs register-task-definition --cli-input-json file://api.json",
    );
    assert_eq!(registered["taskDefinition"]["revision"], 1);
    assert_eq!(
        registered["taskDefinition"]["taskDefinitionArn"],
        "arn:aws:ecs:us-east-1:111122223333:task-definition/api:1"
    );
    let again = checked(
        &mut cloud,
        "aws ecs register-task-definition --cli-input-json file://api.json",
    );
    assert_eq!(again["taskDefinition"]["revision"], 2);
    let listed = checked(
        &mut cloud,
        "aws ecs list-task-definitions --family-prefix api --sort DESC",
    );
    assert_eq!(
        listed["taskDefinitionArns"][0],
        "arn:aws:ecs:us-east-1:111122223333:task-definition/api:2"
    );
    checked(
        &mut cloud,
        "aws ecs describe-task-definition --task-definition api:1",
    );
    // Fargate sizes are the model's rule: 256 CPU with 4096 MiB is refused.
    cloud.files.insert(
        "bad.json".into(),
        r#"{"family": "bad", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "4096",
            "containerDefinitions": [{"name": "b", "image": "nginx", "essential": true}]}"#.into(),
    );
    let out = cloud.run("aws ecs register-task-definition --cli-input-json file://bad.json");
    assert_eq!(out.status, 254, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("(ClientException) when calling the RegisterTaskDefinition operation: Invalid 'cpu' setting for task. [dockyard: "),
        "{}",
        out.stderr
    );
}

#[test]
fn secrets_without_an_execution_role_are_refused_in_ecs_words() {
    let mut cloud = TestCloud::web_on_fargate();
    cloud.files.insert(
        "secret.json".into(),
        r#"{"family": "db", "containerDefinitions": [{"name": "db", "image": "postgres:16", "memory": 512,
            "secrets": [{"name": "PASSWORD", "valueFrom": "arn:aws:ssm:us-east-1:111122223333:parameter/db"}]}]}"#.into(),
    );
    let out = cloud.run("aws ecs register-task-definition --cli-input-json file://secret.json");
    assert_eq!(out.status, 254, "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "An error occurred (ClientException) when calling the RegisterTaskDefinition operation: When you are specifying container secrets, you must also specify a value for 'executionRoleArn'."
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn the_default_vpc_and_the_caller() {
    let mut cloud = TestCloud::web_on_fargate();
    let subnets = checked(&mut cloud, "aws ec2 describe-subnets");
    let count = subnets["Subnets"].as_array().unwrap().len();
    assert_eq!(count, cloud.world.availability_zones().len());
    checked(&mut cloud, "aws ec2 describe-vpcs");
    checked(&mut cloud, "aws ec2 describe-security-groups");
    let me = checked(&mut cloud, "aws sts get-caller-identity");
    assert_eq!(me["Account"], "111122223333");
    let trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
    let created = checked(
        &mut cloud,
        &format!("aws iam create-role --role-name appRole --assume-role-policy-document '{trust}'"),
    );
    assert_eq!(
        created["Role"]["Arn"],
        "arn:aws:iam::111122223333:role/appRole"
    );
    let out = cloud.run(&format!(
        "aws iam create-role --role-name appRole --assume-role-policy-document '{trust}'"
    ));
    assert!(
        out.stderr.contains("(EntityAlreadyExists)"),
        "{}",
        out.stderr
    );
    checked(&mut cloud, "aws iam get-role --role-name appRole");
    checked(&mut cloud, "aws iam list-roles");
}

#[test]
fn completion_offers_commands_flags_and_names() {
    let cloud = TestCloud::web_on_fargate();
    let c = crate::complete(&cloud, "aws ecs create-se");
    assert_eq!(c.options, ["create-service"]);
    assert_eq!(c.start, 8);
    let c = crate::complete(&cloud, "aws ecs create-service --desired");
    assert_eq!(c.options, ["--desired-count"]);
    let c = crate::complete(&cloud, "aws ecs list-services --cluster ");
    assert_eq!(c.options, ["shop"]);
    let c = crate::complete(&cloud, "aws ecs create-service --launch-type F");
    assert_eq!(c.options, ["FARGATE"]);
    let c = crate::complete(&cloud, "aw");
    assert_eq!(c.options, ["aws"]);
}

mod ecr;
mod eks;
mod gateways;
mod iam;
mod iam_examples;
mod network;
mod policies;

mod properties {
    use proptest::prelude::*;

    use super::TestCloud;
    use crate::{run, script, shorthand};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// No script text makes the shell reader panic, and what it reads
        /// is read again the same way from its quoted words.
        #[test]
        fn scripts_never_panic_and_quoting_round_trips(text in "[ -~\n\\\\'\"]{0,80}") {
            if let Ok(commands) = script::parse_script(&text) {
                for command in commands {
                    let quoted: Vec<String> = command.words.iter().map(|w| script::quote(w)).collect();
                    let again = script::parse_script(&quoted.join(" ")).unwrap();
                    prop_assert_eq!(&again[0].words, &command.words);
                }
            }
        }

        #[test]
        fn shorthand_never_panics(text in "[a-zA-Z0-9=,\\[\\]{}'\" .:-]{0,60}") {
            let _ = shorthand::parse(&text);
        }

        /// Any words after a real operation give an answer, never a panic.
        #[test]
        fn any_parameters_get_an_answer(
            words in proptest::collection::vec("(--[a-z-]{1,20}|[a-zA-Z0-9=,{}\\[\\]\"-]{0,20})", 0..6),
            operation in prop_oneof![Just("create-service"), Just("run-task"), Just("describe-services"), Just("update-service"), Just("register-task-definition")],
        ) {
            let mut cloud = TestCloud::web_on_fargate();
            let mut line = vec!["aws".to_string(), "ecs".to_string(), operation.to_string()];
            line.extend(words);
            let out = run(&mut cloud, &line);
            prop_assert!(out.status == 0 || !out.stderr.is_empty(), "{:?}", out);
        }
    }
}

#[test]
fn service_auto_scaling_follows_the_load() {
    let mut cloud = TestCloud::web_on_fargate();
    let line = format!(
        "aws ecs create-service --cluster shop --service-name web --task-definition web --desired-count 2 --launch-type FARGATE --network-configuration 'awsvpcConfiguration={{subnets=[{}],assignPublicIp=ENABLED}}'",
        subnets(&cloud)
    );
    checked(&mut cloud, &line);
    let out = cloud.run("aws application-autoscaling put-scaling-policy --service-namespace ecs --resource-id service/shop/web --scalable-dimension ecs:service:DesiredCount --policy-name cpu50 --policy-type TargetTrackingScaling --target-tracking-scaling-policy-configuration TargetValue=50,PredefinedMetricSpecification={PredefinedMetricType=ECSServiceAverageCPUUtilization}");
    assert_eq!(out.status, 254);
    assert!(out.stderr.contains("(ObjectNotFoundException) when calling the PutScalingPolicy operation: No scalable target registered for service namespace: ecs, resource ID: service/shop/web, scalable dimension: ecs:service:DesiredCount"), "{}", out.stderr);
    checked(&mut cloud, "aws application-autoscaling register-scalable-target --service-namespace ecs --resource-id service/shop/web --scalable-dimension ecs:service:DesiredCount --min-capacity 2 --max-capacity 10");
    checked(&mut cloud, "aws application-autoscaling put-scaling-policy --service-namespace ecs --resource-id service/shop/web --scalable-dimension ecs:service:DesiredCount --policy-name cpu50 --policy-type TargetTrackingScaling --target-tracking-scaling-policy-configuration TargetValue=50,PredefinedMetricSpecification={PredefinedMetricType=ECSServiceAverageCPUUtilization}");
    let policies = checked(
        &mut cloud,
        "aws application-autoscaling describe-scaling-policies --service-namespace ecs",
    );
    assert_eq!(policies["ScalingPolicies"][0]["PolicyName"], "cpu50");
    assert_eq!(
        policies["ScalingPolicies"][0]["TargetTrackingScalingPolicyConfiguration"]["TargetValue"],
        50.0
    );
    checked(
        &mut cloud,
        "aws application-autoscaling describe-scalable-targets --service-namespace ecs",
    );
    let out = cloud
        .run(r#"dockyard set-load --service web --load '{"shape": "constant", "units": 2048}'"#);
    assert_eq!(out.status, 0, "{}", out.stderr);
    cloud.run("sleep 1200");
    let activities = checked(&mut cloud, "aws application-autoscaling describe-scaling-activities --service-namespace ecs --resource-id service/shop/web");
    let list = activities["ScalingActivities"].as_array().unwrap();
    assert!(!list.is_empty(), "the service scaled out under 4x its CPU");
    assert_eq!(list[0]["StatusCode"], "Successful");
    let described = checked(
        &mut cloud,
        "aws ecs describe-services --cluster shop --services web",
    );
    assert!(described["services"][0]["desiredCount"].as_u64().unwrap() > 2);
}

#[test]
fn dockyard_commands_are_the_worlds_not_aws() {
    let mut cloud = TestCloud::web_on_fargate();
    let out = cloud.run("dockyard lose-az --az us-east-1a");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(cloud.world.lost_azs().contains("us-east-1a"));
    let out = cloud.run("dockyard create-service --name x");
    assert_eq!(out.status, 2);
    assert!(
        out.stderr.contains("AWS calls are made with aws"),
        "{}",
        out.stderr
    );
    let out = cloud.run("dockyard use-memory --task t-404 --container app --mib 10");
    assert_eq!(out.status, 1);
    let out = cloud.run("dockyard write-file --task t-1");
    assert!(
        out.stderr.contains("missing field `path`"),
        "{}",
        out.stderr
    );
}

/// A world's state in words, to compare two worlds.
fn summary(world: &World) -> String {
    let mut lines = Vec::new();
    for service in world.services() {
        lines.push(format!(
            "service {} {} desired {} revision {} capacity {:?} scaling {:?}",
            service.cluster,
            service.name,
            service.desired,
            service.revision,
            service.capacity,
            service.scaling.as_ref().map(|s| (
                s.min_capacity,
                s.max_capacity,
                s.target_policies()
                    .iter()
                    .map(|p| (p.metric, p.target))
                    .collect::<Vec<_>>()
            ))
        ));
    }
    for task in world.tasks() {
        lines.push(format!(
            "task {} {} {:?} {:?}",
            task.id, task.revision, task.state, task.placement
        ));
    }
    for instance in world.instances() {
        lines.push(format!(
            "instance {} {} {} draining {}",
            instance.id, instance.cluster, instance.az, instance.draining
        ));
    }
    for role in world.roles() {
        let policies: Vec<&str> = role
            .policies
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        lines.push(format!("role {} {:?}", role.name, policies));
    }
    for (revision, definition) in world.task_definitions() {
        lines.push(format!(
            "definition {revision} {:?} {:?}",
            definition.task_role_arn, definition.execution_role_arn
        ));
    }
    let eks = world.eks();
    for group in eks.groups.values() {
        lines.push(format!(
            "nodegroup {} {} {} {}..{} {:?} managed {} mapped {} role {:?}",
            group.cluster,
            group.name,
            group.instance_type,
            group.min_size,
            group.max_size,
            group.nodes,
            group.managed,
            group.node_role_mapped,
            group.node_role
        ));
    }
    for node in eks.nodes.values() {
        lines.push(format!(
            "node {} {} ready {}",
            node.name, node.az, node.ready
        ));
    }
    for profile in eks.profiles.values() {
        lines.push(format!(
            "profile {} {} {:?}",
            profile.cluster,
            profile.name,
            profile.selectors()
        ));
    }
    for pod in eks.pods.values() {
        lines.push(format!(
            "pod {} {:?} {:?}",
            pod.name, pod.phase, pod.placement
        ));
    }
    lines.push(format!("lost {:?}", world.lost_azs()));
    lines.join("\n")
}

/// Every command of every shipped scenario that a button could give has a
/// terminal form, and playing that form changes the world exactly as the
/// command does: what the sandbox prints for a button is true.
#[test]
fn what_a_button_prints_does_what_the_button_does() {
    use dockyard_model::sim::scenario::Scenario;
    let scenarios = [
        include_str!("../../../../scenarios/web-on-fargate.scenario.json"),
        include_str!("../../../../scenarios/task-roles-s3.scenario.json"),
        include_str!("../../../../scenarios/az-outage.scenario.json"),
        include_str!("../../../../scenarios/container-memory-limits.scenario.json"),
        include_str!("../../../../scenarios/efs-and-ephemeral-storage.scenario.json"),
        include_str!("../../../../scenarios/instance-profile-fallback.scenario.json"),
        include_str!("../../../../scenarios/scaling-policies.scenario.json"),
        include_str!("../../../../scenarios/rolling-deployment-circuit-breaker.scenario.json"),
        include_str!("../../../../scenarios/ec2-spot-interruption.scenario.json"),
        include_str!("../../../../scenarios/docker-hub-rate-limit.scenario.json"),
        include_str!("../../../../scenarios/eks-fargate-profile.scenario.json"),
        include_str!("../../../../scenarios/eks-hpa-cluster-autoscaler.scenario.json"),
        include_str!("../../../../scenarios/policies-beyond-the-role.scenario.json"),
    ];
    let mut translated = 0;
    for text in scenarios {
        let scenario = Scenario::parse(text).unwrap();
        let empty = || TestCloud {
            world: World::new(
                scenario.seed,
                scenario.parameters.clone(),
                &scenario.region,
                scenario.availability_zones.clone(),
            ),
            files: BTreeMap::new(),
            events: Vec::new(),
            desk: None,
            docker: None,
        };
        let (mut direct, mut typed) = (empty(), empty());
        for step in &scenario.steps {
            direct.world.advance_to(step.at * 1000);
            typed.world.advance_to(step.at * 1000);
            let lines = crate::cli_for(&step.command, &direct.world);
            if direct.world.apply(step.command.clone()).is_err() {
                continue;
            }
            match lines {
                Some(lines) => {
                    for line in &lines {
                        let out = typed.run(line);
                        assert_eq!(out.status, 0, "{}: {line}\n{}", scenario.name, out.stderr);
                    }
                    translated += 1;
                }
                // No terminal form yet: the same command, so the worlds stay comparable.
                None => {
                    typed.world.apply(step.command.clone()).unwrap();
                }
            }
            assert_eq!(
                summary(&direct.world),
                summary(&typed.world),
                "{}: after {:?}",
                scenario.name,
                step.command
            );
        }
        let end = scenario.until * 1000;
        direct.world.advance_to(end);
        typed.world.advance_to(end);
        assert_eq!(
            summary(&direct.world),
            summary(&typed.world),
            "{} at its end",
            scenario.name
        );
    }
    assert!(translated > 40, "only {translated} commands translated");
}

/// The real workflow for a new revision: describe it into a file, change
/// the file, register it from the file.
#[test]
fn a_task_definition_goes_through_a_file() {
    let mut cloud = TestCloud::web_on_fargate();
    let out = cloud.run(
        "aws ecs describe-task-definition --task-definition web --query taskDefinition > web.json",
    );
    assert_eq!((out.status, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    let text = cloud.files["web.json"].clone();
    assert!(text.contains("\"family\": \"web\""), "{text}");
    let edited = text.replace("\"cpu\": \"512\"", "\"cpu\": \"1024\"");
    assert_ne!(edited, text, "the file holds the task size: {text}");
    cloud.files.insert("web.json".into(), edited);
    // describe's output has members register does not take, as in AWS: the
    // CLI refuses them by name.
    let out = cloud.run("aws ecs register-task-definition --cli-input-json file://web.json");
    assert_eq!(out.status, 252);
    assert!(
        out.stderr
            .contains("Unknown parameter in input: \"taskDefinitionArn\""),
        "{}",
        out.stderr
    );
    let out = cloud.run("cat web.json");
    assert!(out.stdout.contains("1024"));
    assert_eq!(cloud.run("ls").stdout, "web.json\n");
    assert_eq!(cloud.run("edit web.json").edit.as_deref(), Some("web.json"));
    assert_eq!(cloud.run("rm web.json").status, 0);
    assert_eq!(cloud.run("rm web.json").status, 1);
}

/// A deregistered revision is INACTIVE: described still, run no more, and
/// the service already using it keeps running it (and scaling it), as ECS does.
#[test]
fn a_deregistered_revision_runs_no_new_task_but_its_service_goes_on() {
    let mut cloud = TestCloud::web_on_fargate();
    let line = format!(
        "aws ecs create-service --cluster shop --service-name web --task-definition web:1 --desired-count 1 --launch-type FARGATE --network-configuration 'awsvpcConfiguration={{subnets=[{}],assignPublicIp=ENABLED}}'",
        subnets(&cloud)
    );
    checked(&mut cloud, &line);
    checked(&mut cloud, "aws ecs register-task-definition --family web --requires-compatibilities FARGATE --network-mode awsvpc --cpu 512 --memory 1024 --container-definitions '[{\"name\": \"web\", \"image\": \"public.ecr.aws/nginx/nginx:1.27\", \"essential\": true}]'");
    let deregistered = checked(
        &mut cloud,
        "aws ecs deregister-task-definition --task-definition web:1",
    );
    assert_eq!(deregistered["taskDefinition"]["status"], "INACTIVE");
    let active = checked(&mut cloud, "aws ecs list-task-definitions");
    assert_eq!(
        active["taskDefinitionArns"],
        serde_json::json!(["arn:aws:ecs:us-east-1:111122223333:task-definition/web:2"])
    );
    let out = cloud.run(&format!("aws ecs run-task --cluster shop --task-definition web:1 --launch-type FARGATE --network-configuration 'awsvpcConfiguration={{subnets=[{}]}}'", subnets(&cloud)));
    assert!(
        out.stderr.contains("TaskDefinition is inactive"),
        "{}",
        out.stderr
    );
    checked(
        &mut cloud,
        "aws ecs update-service --cluster shop --service web --desired-count 2",
    );
    cloud.run("aws ecs wait services-stable --cluster shop --services web");
    let tasks = checked(
        &mut cloud,
        "aws ecs describe-services --cluster shop --services web",
    );
    assert_eq!(
        tasks["services"][0]["runningCount"], 2,
        "the service scales on its INACTIVE revision"
    );
    assert_eq!(
        tasks["services"][0]["taskDefinition"],
        "arn:aws:ecs:us-east-1:111122223333:task-definition/web:1"
    );
    // A bare family means its latest ACTIVE revision.
    let out = cloud.run(&format!("aws ecs run-task --cluster shop --task-definition web --launch-type FARGATE --network-configuration 'awsvpcConfiguration={{subnets=[{}],assignPublicIp=ENABLED}}' --query 'tasks[0].taskDefinitionArn'", subnets(&cloud)));
    assert_eq!(
        out.stdout, "\"arn:aws:ecs:us-east-1:111122223333:task-definition/web:2\"\n",
        "{}",
        out.stderr
    );
}

#[test]
fn describe_tasks_shows_the_dynamic_host_port_each_bridge_container_got() {
    let mut cloud = TestCloud::scenario(
        include_str!("../../../../scenarios/az-outage.scenario.json"),
        6,
    );
    cloud.advance(300_000);
    let listed = checked(&mut cloud, "aws ecs list-tasks --cluster prod");
    let first = listed["taskArns"][0].as_str().expect("a task").to_string();
    let described = checked(
        &mut cloud,
        &format!("aws ecs describe-tasks --cluster prod --tasks {first}"),
    );
    let binding = &described["tasks"][0]["containers"][0]["networkBindings"][0];
    assert_eq!(binding["containerPort"], 8080);
    assert_eq!(binding["bindIP"], "0.0.0.0");
    assert_eq!(binding["protocol"], "tcp");
    let host = binding["hostPort"].as_u64().expect("a host port");
    assert!((32768..=60999).contains(&host), "{binding}");
}

#[test]
fn describe_services_reports_the_service_throttle_in_ecs_words() {
    let mut cloud = TestCloud::scenario(
        include_str!("../../../../scenarios/cannot-pull-image.scenario.json"),
        3,
    );
    let subnet = cloud.world.default_vpc().subnets[0].subnet_id.clone();
    let out = cloud.run(&format!("aws ecs create-service --cluster dev --service-name report --task-definition report --desired-count 2 --launch-type FARGATE --network-configuration awsvpcConfiguration={{subnets=[{subnet}],assignPublicIp=ENABLED}}"));
    assert_eq!(out.status, 0, "{}", out.stderr);
    crate::Cloud::advance(&mut cloud, 1_800_000);
    let described = checked(
        &mut cloud,
        "aws ecs describe-services --cluster dev --services report",
    );
    let messages: Vec<&str> = described["services"][0]["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["message"].as_str())
        .collect();
    assert!(
        messages.contains(&"(service report) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."),
        "{messages:?}"
    );
}

#[test]
fn register_task_definition_refuses_what_the_api_model_refuses() {
    let mut cloud = TestCloud::web_on_fargate();
    cloud.files.insert(
        "ulimit.json".into(),
        r#"{"family": "u", "containerDefinitions": [{"name": "u", "image": "nginx", "memory": 256,
            "ulimits": [{"name": "openfiles", "softLimit": 1024, "hardLimit": 1024}]}]}"#
            .into(),
    );
    let out = cloud.run("aws ecs register-task-definition --cli-input-json file://ulimit.json");
    assert_eq!(out.status, 254, "{}", out.stdout);
    assert!(
        out.stderr.contains("1 validation error detected: Value 'openfiles' at 'containerDefinitions.1.member.ulimits.1.member.name' failed to satisfy constraint: Member must satisfy enum value set: ["),
        "{}",
        out.stderr
    );
    // A member the current API has is not called unknown.
    cloud.files.insert(
        "sandbox.json".into(),
        r#"{"family": "s", "containerDefinitions": [{"name": "s", "image": "nginx", "memory": 256}],
            "enableFaultInjection": false}"#
            .into(),
    );
    let out = cloud.run("aws ecs register-task-definition --cli-input-json file://sandbox.json");
    assert_eq!(out.status, 0, "{}", out.stderr);
}
