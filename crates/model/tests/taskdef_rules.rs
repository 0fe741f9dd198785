//! Every rule of the validator, each triggered by the smallest definition
//! that breaks it, and a valid definition that breaks none.

use dockyard_model::taskdef::{check, Finding, RULES};
use serde_json::{json, Value};

fn fargate() -> Value {
    json!({
        "family": "web",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
        "executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
        "containerDefinitions": [{
            "name": "app",
            "image": "nginx:1.27",
            "essential": true,
            "portMappings": [{ "containerPort": 80, "protocol": "tcp" }],
            "logConfiguration": { "logDriver": "awslogs", "options": {
                "awslogs-group": "/ecs/web", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web" } }
        }]
    })
}

fn ec2() -> Value {
    json!({ "family": "web", "containerDefinitions": [{ "name": "app", "image": "nginx", "memory": 256 }] })
}

/// `base` with the JSON pointer `path` set to `value`.
fn with(mut base: Value, path: &str, value: Value) -> Value {
    let (parent, key) = path.rsplit_once('/').unwrap();
    let target = base
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent}"));
    match target {
        Value::Object(map) => {
            map.insert(key.to_string(), value);
        }
        Value::Array(list) => {
            let index: usize = key.parse().unwrap();
            if index < list.len() {
                list[index] = value;
            } else {
                list.push(value);
            }
        }
        _ => panic!("{parent} is not a container"),
    }
    base
}

fn findings(definition: &Value) -> Vec<Finding> {
    check(&definition.to_string()).expect("valid JSON").findings
}

fn cases() -> Vec<(&'static str, Value)> {
    let c0 = "/containerDefinitions/0";
    let sidecar =
        json!({ "name": "sidecar", "image": "busybox", "essential": false, "memory": 64 });
    vec![
        ("json-type", with(fargate(), "/cpu", json!(256))),
        (
            "unknown-field",
            with(fargate(), &format!("{c0}/memoryReservaton"), json!(128)),
        ),
        ("response-field", with(fargate(), "/revision", json!(3))),
        (
            "api-required",
            with(
                ec2(),
                &format!("{c0}/ulimits"),
                json!([{"name": "nofile", "hardLimit": 1024}]),
            ),
        ),
        (
            "api-enum",
            with(
                ec2(),
                &format!("{c0}/ulimits"),
                json!([{"name": "openfiles", "softLimit": 1024, "hardLimit": 1024}]),
            ),
        ),
        (
            "api-range",
            with(ec2(), "/tags", json!([{"key": "", "value": "x"}])),
        ),
        ("family-required", with(fargate(), "/family", json!(""))),
        (
            "family-format",
            with(fargate(), "/family", json!("web app")),
        ),
        (
            "containers-required",
            with(fargate(), "/containerDefinitions", json!([])),
        ),
        (
            "containers-max",
            with(
                ec2(),
                "/containerDefinitions",
                json!((0..11)
                    .map(|i| json!({"name": format!("c{i}"), "image": "nginx", "memory": 64}))
                    .collect::<Vec<_>>()),
            ),
        ),
        (
            "container-name-required",
            with(fargate(), &format!("{c0}/name"), json!("")),
        ),
        (
            "container-name-format",
            with(fargate(), &format!("{c0}/name"), json!("my app")),
        ),
        (
            "container-name-duplicate",
            with(
                ec2(),
                "/containerDefinitions/1",
                json!({"name": "app", "image": "nginx", "memory": 64}),
            ),
        ),
        (
            "image-required",
            with(fargate(), &format!("{c0}/image"), json!("")),
        ),
        (
            "image-format",
            with(fargate(), &format!("{c0}/image"), json!("nginx latest")),
        ),
        (
            "network-mode-value",
            with(ec2(), "/networkMode", json!("vpc")),
        ),
        (
            "compatibility-value",
            with(fargate(), "/requiresCompatibilities", json!(["LAMBDA"])),
        ),
        ("task-cpu-format", with(fargate(), "/cpu", json!("quarter"))),
        (
            "task-memory-format",
            with(fargate(), "/memory", json!("half a gig")),
        ),
        (
            "fargate-requires-awsvpc",
            with(fargate(), "/networkMode", json!("bridge")),
        ),
        ("fargate-requires-task-size", {
            let mut d = fargate();
            d.as_object_mut().unwrap().remove("memory");
            d
        }),
        ("fargate-size", with(fargate(), "/memory", json!("4096"))),
        ("ec2-cpu-range", with(ec2(), "/cpu", json!("64"))),
        ("ec2-memory-required", {
            let mut d = ec2();
            d["containerDefinitions"][0]
                .as_object_mut()
                .unwrap()
                .remove("memory");
            d
        }),
        (
            "memory-reservation-above-limit",
            with(ec2(), &format!("{c0}/memoryReservation"), json!(256)),
        ),
        (
            "container-memory-sum",
            with(fargate(), &format!("{c0}/memory"), json!(1024)),
        ),
        (
            "container-cpu-sum",
            with(fargate(), &format!("{c0}/cpu"), json!(512)),
        ),
        (
            "container-memory-small",
            with(ec2(), &format!("{c0}/memory"), json!(4)),
        ),
        (
            "essential-required",
            with(fargate(), &format!("{c0}/essential"), json!(false)),
        ),
        (
            "depends-on-unknown",
            with(
                fargate(),
                &format!("{c0}/dependsOn"),
                json!([{"containerName": "db", "condition": "START"}]),
            ),
        ),
        (
            "depends-on-condition",
            with(
                with(ec2(), "/containerDefinitions/1", sidecar.clone()),
                &format!("{c0}/dependsOn"),
                json!([{"containerName": "sidecar", "condition": "READY"}]),
            ),
        ),
        (
            "depends-on-essential",
            with(
                with(
                    ec2(),
                    "/containerDefinitions/1",
                    json!({"name": "init", "image": "busybox", "memory": 64}),
                ),
                &format!("{c0}/dependsOn"),
                json!([{"containerName": "init", "condition": "SUCCESS"}]),
            ),
        ),
        (
            "depends-on-healthy",
            with(
                with(ec2(), "/containerDefinitions/1", sidecar.clone()),
                &format!("{c0}/dependsOn"),
                json!([{"containerName": "sidecar", "condition": "HEALTHY"}]),
            ),
        ),
        (
            "port-host-mismatch",
            with(
                fargate(),
                &format!("{c0}/portMappings"),
                json!([{"containerPort": 80, "hostPort": 8080}]),
            ),
        ),
        (
            "port-none-mode",
            with(
                with(ec2(), "/networkMode", json!("none")),
                &format!("{c0}/portMappings"),
                json!([{"containerPort": 80}]),
            ),
        ),
        (
            "port-protocol",
            with(
                fargate(),
                &format!("{c0}/portMappings"),
                json!([{"containerPort": 80, "protocol": "http"}]),
            ),
        ),
        (
            "port-container-required",
            with(
                fargate(),
                &format!("{c0}/portMappings"),
                json!([{"hostPort": 80}]),
            ),
        ),
        (
            "links-bridge-only",
            with(
                with(ec2(), "/networkMode", json!("awsvpc")),
                &format!("{c0}/links"),
                json!(["db"]),
            ),
        ),
        (
            "log-driver",
            with(
                fargate(),
                &format!("{c0}/logConfiguration"),
                json!({"logDriver": "stdout"}),
            ),
        ),
        (
            "log-driver-fargate",
            with(
                fargate(),
                &format!("{c0}/logConfiguration"),
                json!({"logDriver": "json-file"}),
            ),
        ),
        (
            "awslogs-group",
            with(
                fargate(),
                &format!("{c0}/logConfiguration/options"),
                json!({"awslogs-region": "us-east-1", "awslogs-stream-prefix": "web"}),
            ),
        ),
        (
            "awslogs-region",
            with(
                fargate(),
                &format!("{c0}/logConfiguration/options"),
                json!({"awslogs-group": "g", "awslogs-stream-prefix": "web"}),
            ),
        ),
        (
            "awslogs-stream-prefix",
            with(
                fargate(),
                &format!("{c0}/logConfiguration/options"),
                json!({"awslogs-group": "g", "awslogs-region": "us-east-1"}),
            ),
        ),
        (
            "awslogs-option",
            with(
                fargate(),
                &format!("{c0}/logConfiguration/options/awslogs-groop"),
                json!("g"),
            ),
        ),
        ("fargate-execution-role-ecr", {
            let mut d = with(
                fargate(),
                &format!("{c0}/image"),
                json!("111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1"),
            );
            d.as_object_mut().unwrap().remove("executionRoleArn");
            d
        }),
        ("fargate-execution-role-logs", {
            let mut d = fargate();
            d.as_object_mut().unwrap().remove("executionRoleArn");
            d
        }),
        (
            "secrets-execution-role",
            with(
                ec2(),
                &format!("{c0}/secrets"),
                json!([{"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:us-east-1:111122223333:parameter/db"}]),
            ),
        ),
        (
            "secret-fields",
            with(
                fargate(),
                &format!("{c0}/secrets"),
                json!([{"name": "DB_PASSWORD"}]),
            ),
        ),
        (
            "volume-name",
            with(ec2(), "/volumes", json!([{"host": {}}])),
        ),
        (
            "volume-duplicate",
            with(
                ec2(),
                "/volumes",
                json!([{"name": "data"}, {"name": "data"}]),
            ),
        ),
        (
            "volume-kinds",
            with(
                ec2(),
                "/volumes",
                json!([{"name": "data", "host": {"sourcePath": "/data"}, "efsVolumeConfiguration": {"fileSystemId": "fs-1"}}]),
            ),
        ),
        (
            "volume-fargate",
            with(
                fargate(),
                "/volumes",
                json!([{"name": "data", "host": {"sourcePath": "/data"}}]),
            ),
        ),
        (
            "configured-at-launch-max",
            with(
                fargate(),
                "/volumes",
                json!([{"name": "a", "configuredAtLaunch": true}, {"name": "b", "configuredAtLaunch": true}]),
            ),
        ),
        (
            "mount-unknown-volume",
            with(
                fargate(),
                &format!("{c0}/mountPoints"),
                json!([{"sourceVolume": "data", "containerPath": "/data"}]),
            ),
        ),
        (
            "mount-path",
            with(
                with(fargate(), "/volumes", json!([{"name": "data"}])),
                &format!("{c0}/mountPoints"),
                json!([{"sourceVolume": "data"}]),
            ),
        ),
        (
            "efs-transit-encryption",
            with(
                fargate(),
                "/volumes",
                json!([{"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-1", "authorizationConfig": {"accessPointId": "fsap-1"}}}]),
            ),
        ),
        (
            "efs-root-directory",
            with(
                fargate(),
                "/volumes",
                json!([{"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-1", "rootDirectory": "/app", "transitEncryption": "ENABLED", "authorizationConfig": {"accessPointId": "fsap-1"}}}]),
            ),
        ),
        (
            "docker-volume-scope",
            with(
                ec2(),
                "/volumes",
                json!([{"name": "data", "dockerVolumeConfiguration": {"scope": "cluster"}}]),
            ),
        ),
        (
            "docker-volume-autoprovision",
            with(
                ec2(),
                "/volumes",
                json!([{"name": "data", "dockerVolumeConfiguration": {"scope": "task", "autoprovision": true}}]),
            ),
        ),
        (
            "fargate-parameter",
            with(fargate(), &format!("{c0}/privileged"), json!(true)),
        ),
        (
            "ephemeral-storage-range",
            with(fargate(), "/ephemeralStorage", json!({"sizeInGiB": 500})),
        ),
        (
            "ephemeral-storage-fargate-only",
            with(ec2(), "/ephemeralStorage", json!({"sizeInGiB": 30})),
        ),
        (
            "health-check-command",
            with(
                fargate(),
                &format!("{c0}/healthCheck"),
                json!({"command": ["curl -f http://localhost/"]}),
            ),
        ),
        (
            "health-check-range",
            with(
                fargate(),
                &format!("{c0}/healthCheck"),
                json!({"command": ["CMD", "true"], "interval": 1}),
            ),
        ),
        (
            "fargate-timeout-range",
            with(fargate(), &format!("{c0}/stopTimeout"), json!(300)),
        ),
        (
            "placement-constraint",
            with(
                ec2(),
                "/placementConstraints",
                json!([{"type": "distinctInstance"}]),
            ),
        ),
        (
            "tags-max",
            with(
                ec2(),
                "/tags",
                json!((0..51)
                    .map(|i| json!({"key": format!("k{i}"), "value": "v"}))
                    .collect::<Vec<_>>()),
            ),
        ),
        (
            "tag-reserved",
            with(ec2(), "/tags", json!([{"key": "aws:owner", "value": "me"}])),
        ),
        (
            "runtime-platform",
            with(ec2(), "/runtimePlatform", json!({"cpuArchitecture": "ARM"})),
        ),
        (
            "fargate-windows-arm",
            with(
                with(fargate(), "/cpu", json!("1024")),
                "/runtimePlatform",
                json!({"cpuArchitecture": "ARM64", "operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}),
            ),
        ),
        (
            "role-reference",
            with(fargate(), "/taskRoleArn", json!("javascript:alert(1)")),
        ),
        (
            "definition-size",
            with(
                fargate(),
                &format!("{c0}/environment"),
                json!([{ "name": "BIG", "value": "x".repeat(70_000) }]),
            ),
        ),
        ("pid-mode", with(ec2(), "/pidMode", json!("container"))),
        ("ipc-mode", with(ec2(), "/ipcMode", json!("shared"))),
    ]
}

#[test]
fn the_valid_definitions_have_no_findings() {
    assert_eq!(findings(&fargate()), vec![]);
    assert_eq!(findings(&ec2()), vec![]);
}

#[test]
fn every_rule_is_triggered_by_its_case() {
    for (code, definition) in cases() {
        let found = findings(&definition);
        assert!(
            found.iter().any(|f| f.code == code),
            "{code}: expected it among {found:#?}"
        );
    }
}

#[test]
fn every_rule_in_the_catalogue_has_a_case() {
    let covered: Vec<&str> = cases().iter().map(|(code, _)| *code).collect();
    for rule in RULES {
        assert!(
            covered.contains(&rule.code),
            "no test case triggers {}",
            rule.code
        );
    }
}

#[test]
fn findings_name_the_field_and_the_numbers() {
    let found = findings(&with(fargate(), "/memory", json!("4096")));
    let size = found.iter().find(|f| f.code == "fargate-size").unwrap();
    assert_eq!(size.path, "memory");
    assert!(size.message.contains("512 to 2048 MiB"), "{}", size.message);
    let typed = findings(&with(
        fargate(),
        "/containerDefinitions/0/cpu",
        json!("256"),
    ));
    assert_eq!(typed[0].path, "containerDefinitions[0].cpu");
    assert!(
        typed[0].message.contains("numbers in the API"),
        "{}",
        typed[0].message
    );
}

#[test]
fn vcpu_and_gb_forms_are_understood() {
    let definition = with(
        with(fargate(), "/cpu", json!("1 vCPU")),
        "/memory",
        json!("2 GB"),
    );
    assert_eq!(findings(&definition), vec![]);
    let definition = with(
        with(fargate(), "/cpu", json!(".25 vcpu")),
        "/memory",
        json!("0.5GB"),
    );
    assert_eq!(findings(&definition), vec![]);
    let wrong = with(
        with(fargate(), "/cpu", json!("1 vCPU")),
        "/memory",
        json!("1 GB"),
    );
    assert!(findings(&wrong).iter().any(|f| f.code == "fargate-size"));
}

#[test]
fn fargate_rules_do_not_apply_to_ec2_only_definitions() {
    let definition = with(
        with(ec2(), "/containerDefinitions/0/privileged", json!(true)),
        "/volumes",
        json!([{"name": "d", "dockerVolumeConfiguration": {"scope": "shared", "autoprovision": true}}]),
    );
    assert_eq!(findings(&definition), vec![]);
}

#[test]
fn secrets_without_an_execution_role_are_refused_on_every_launch_type() {
    let secrets = json!([{"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:us-east-1:111122223333:parameter/db"}]);
    let mut on_fargate = with(
        fargate(),
        "/containerDefinitions/0/secrets",
        secrets.clone(),
    );
    on_fargate
        .as_object_mut()
        .unwrap()
        .remove("executionRoleArn");
    for definition in [
        with(ec2(), "/containerDefinitions/0/secrets", secrets),
        on_fargate,
    ] {
        let refused: Vec<Finding> = findings(&definition)
            .into_iter()
            .filter(|f| f.code == "secrets-execution-role")
            .collect();
        assert_eq!(refused.len(), 1, "{definition}");
        assert_eq!(
            dockyard_model::taskdef::rule(refused[0].code)
                .unwrap()
                .severity,
            dockyard_model::taskdef::Severity::Error
        );
    }
}

#[test]
fn windows_fargate_tasks_may_raise_ephemeral_storage_to_200_gib() {
    let windows = with(
        with(
            with(fargate(), "/cpu", json!("1024")),
            "/memory",
            json!("2048"),
        ),
        "/runtimePlatform",
        json!({"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE", "cpuArchitecture": "X86_64"}),
    );
    let at_most = with(
        windows.clone(),
        "/ephemeralStorage",
        json!({"sizeInGiB": 200}),
    );
    let found = findings(&at_most);
    assert!(
        found
            .iter()
            .all(|f| !f.code.starts_with("ephemeral-storage")),
        "{found:?}"
    );
    let beyond = with(windows, "/ephemeralStorage", json!({"sizeInGiB": 201}));
    assert!(findings(&beyond)
        .iter()
        .any(|f| f.code == "ephemeral-storage-range"));
}

/// Members the current ECS API has are never called unknown (the list of
/// fields comes from the API model), and what the model requires of them
/// is checked.
#[test]
fn newer_api_members_are_known_and_checked_against_the_api_model() {
    let mut definition = with(
        ec2(),
        "/trustedExecutionConfiguration",
        json!({"isolationMode": "ISOLATED_SANDBOX"}),
    );
    definition = with(
        definition,
        "/volumes",
        json!([{"name": "files", "s3filesVolumeConfiguration": {"fileSystemArn": "arn:aws:s3files:us-east-1:111122223333:file-system/fs-1"}}]),
    );
    let found = findings(&definition);
    assert!(found.iter().all(|f| f.code != "unknown-field"), "{found:?}");
    let missing = with(definition, "/trustedExecutionConfiguration", json!({}));
    assert!(findings(&missing).iter().any(
        |f| f.code == "api-required" && f.path == "trustedExecutionConfiguration.isolationMode"
    ));
}

/// The members the issue found accepted without their required parts.
#[test]
fn required_members_of_nested_api_objects_are_refused_when_missing() {
    let c0 = "/containerDefinitions/0";
    for (path, value, missing) in [
        (
            format!("{c0}/ulimits"),
            json!([{"softLimit": 1, "hardLimit": 1}]),
            "containerDefinitions[0].ulimits[0].name",
        ),
        (
            format!("{c0}/environmentFiles"),
            json!([{"value": "arn:aws:s3:::b/e.env"}]),
            "containerDefinitions[0].environmentFiles[0].type",
        ),
        (
            format!("{c0}/extraHosts"),
            json!([{"hostname": "db"}]),
            "containerDefinitions[0].extraHosts[0].ipAddress",
        ),
        (
            format!("{c0}/linuxParameters"),
            json!({"tmpfs": [{"containerPath": "/tmp"}]}),
            "containerDefinitions[0].linuxParameters.tmpfs[0].size",
        ),
        (
            format!("{c0}/linuxParameters"),
            json!({"devices": [{"containerPath": "/dev/x"}]}),
            "containerDefinitions[0].linuxParameters.devices[0].hostPath",
        ),
        (
            format!("{c0}/firelensConfiguration"),
            json!({"options": {}}),
            "containerDefinitions[0].firelensConfiguration.type",
        ),
        (
            format!("{c0}/resourceRequirements"),
            json!([{"value": "1"}]),
            "containerDefinitions[0].resourceRequirements[0].type",
        ),
        (
            "/proxyConfiguration".to_string(),
            json!({"type": "APPMESH"}),
            "proxyConfiguration.containerName",
        ),
        (
            "/volumes".to_string(),
            json!([{"name": "e", "efsVolumeConfiguration": {"rootDirectory": "/"}}]),
            "volumes[0].efsVolumeConfiguration.fileSystemId",
        ),
    ] {
        let found = findings(&with(ec2(), &path, value));
        assert!(
            found.iter().any(
                |f| f.path == missing && f.severity == dockyard_model::taskdef::Severity::Error
            ),
            "{missing}: {found:?}"
        );
    }
}
