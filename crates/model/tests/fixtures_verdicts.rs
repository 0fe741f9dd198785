//! Real task definitions published by AWS (tests/fixtures/taskdefs, with
//! provenance and licences in MANIFEST.tsv and LICENSES/): every complete one
//! imports, the ones AWS itself would refuse get the findings that say why,
//! and the malformed one gets a parse error with its line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use dockyard_model::taskdef::{check, export, import, Severity};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/taskdefs")
}

/// (file, completeness) from MANIFEST.tsv: "yes", "fragment" or "malformed-json".
fn manifest() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(fixtures().join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    text.lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            (fields[0].to_string(), fields[5].to_string())
        })
        .collect()
}

/// The errors AWS would give, file by file, and why (every other complete
/// file is accepted as it is).
fn expected_errors() -> BTreeMap<&'static str, Vec<&'static str>> {
    BTreeMap::from([
        // Fargate + awslogs without executionRoleArn: "Fargate requires task
        // definition to have execution role ARN to support log driver awslogs".
        (
            "aws-containers-task-definitions/gunicorn__gunicorn_fargate.json",
            vec!["fargate-execution-role-logs"],
        ),
        (
            "aws-containers-task-definitions/jetty__jetty_fargate.json",
            vec!["fargate-execution-role-logs"],
        ),
        (
            "aws-containers-task-definitions/kibana__kibana_fargate.json",
            vec!["fargate-execution-role-logs"],
        ),
        (
            "aws-containers-task-definitions/nginx__nginx_fargate.json",
            vec!["fargate-execution-role-logs"],
        ),
        (
            "aws-containers-task-definitions/tomcat__tomcat_fargate.json",
            vec!["fargate-execution-role-logs"],
        ),
        (
            "aws-containers-task-definitions/wildfly__wildfly_fargate.json",
            vec!["fargate-execution-role-logs"],
        ),
        // A template's placeholder left as the role: "${YOUR_EXECUTION_ROLE}"
        // is neither a role name nor a role ARN.
        (
            "ecs-developer-guide/ecs-inference__1.json",
            vec!["role-reference"],
        ),
        // awsvpc with hostPort 80 mapped to another containerPort.
        (
            "aws-containers-task-definitions/kibana__kibana_ec2.json",
            vec!["port-host-mismatch"],
        ),
        (
            "aws-containers-task-definitions/tomcat__tomcat_ec2.json",
            vec!["port-host-mismatch"],
        ),
        // An EC2 definition (the default) with no memory anywhere.
        (
            "ecs-developer-guide/example_task_definitions__5.json",
            vec!["ec2-memory-required"],
        ),
        // The mount points name "fsx-windows-dir"; the volume is "fsx-windows-vol".
        (
            "ecs-developer-guide/wfsx-volumes__1.json",
            vec!["mount-unknown-volume"],
        ),
        // portMappings and secretOptions written as objects, not arrays.
        (
            "amazon-ecs-firelens-examples/examples__fluent-bit__logstash__task-definition.json",
            vec!["json-type"],
        ),
        (
            "amazon-ecs-firelens-examples/examples__fluent-bit__signalfx__task-definition.json",
            vec!["json-type"],
        ),
    ])
}

#[test]
fn the_manifest_lists_every_fixture() {
    let listed = manifest();
    assert_eq!(listed.len(), 121, "MANIFEST.tsv rows");
    for (file, _) in &listed {
        assert!(
            fixtures().join(file).is_file(),
            "{file} is listed but missing"
        );
    }
}

#[test]
fn complete_files_get_the_verdict_aws_would_give() {
    let expected = expected_errors();
    let mut checked = 0;
    for (file, complete) in manifest()
        .into_iter()
        .filter(|(_, complete)| complete == "yes")
    {
        let text = std::fs::read_to_string(fixtures().join(&file)).unwrap();
        let imported = check(&text).unwrap_or_else(|error| panic!("{file}: {error}"));
        let errors: BTreeSet<&str> = imported
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.code)
            .collect();
        let want: BTreeSet<&str> = expected
            .get(file.as_str())
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .collect();
        assert_eq!(
            errors, want,
            "{file} ({complete}): {:#?}",
            imported.findings
        );
        checked += 1;
    }
    assert_eq!(checked, 97);
}

#[test]
fn describe_output_is_unwrapped_and_stripped_to_registrable_input() {
    for file in std::fs::read_dir(fixtures().join("_describe_output")).unwrap() {
        let path = file.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let imported = import(&text).unwrap();
        let definition = imported.definition.expect("a task definition");
        let exported: serde_json::Value = serde_json::from_str(&export(&definition)).unwrap();
        for field in dockyard_model::taskdef::RESPONSE_ONLY_FIELDS {
            assert!(
                exported.get(*field).is_none(),
                "{}: {field} survived export",
                path.display()
            );
        }
        assert!(exported.get("taskDefinition").is_none());
        assert!(!definition.family.is_empty(), "{}", path.display());
    }
    let wrapped = std::fs::read_to_string(
        fixtures().join("_describe_output/awscli__describe-task-definition__1_response.json"),
    )
    .unwrap();
    let imported = import(&wrapped).unwrap();
    let notes: Vec<&str> = imported.findings.iter().map(|f| f.path.as_str()).collect();
    assert!(
        notes.contains(&"taskDefinition")
            && notes.contains(&"taskDefinitionArn")
            && notes.contains(&"revision"),
        "{notes:?}"
    );
    assert!(imported
        .findings
        .iter()
        .all(|f| f.severity == Severity::Note));
}

#[test]
fn fragments_from_the_docs_import_and_say_what_is_missing() {
    for (file, _) in manifest()
        .into_iter()
        .filter(|(_, complete)| complete == "fragment")
    {
        let text = std::fs::read_to_string(fixtures().join(&file)).unwrap();
        let imported = check(&text).unwrap_or_else(|error| panic!("{file}: {error}"));
        assert!(
            imported
                .findings
                .iter()
                .any(|f| f.severity == Severity::Error),
            "{file} is a fragment, yet nothing is reported missing"
        );
    }
}

#[test]
fn the_malformed_file_gets_a_parse_error_with_line_and_column() {
    let text = std::fs::read_to_string(
        fixtures().join("_malformed/firelens__dynatrace__task-definition.json"),
    )
    .unwrap();
    let error = import(&text).unwrap_err();
    assert_eq!((error.line, error.column), (34, 20));
    assert!(
        error.message.contains("expected `,` or `}`"),
        "{}",
        error.message
    );
}

/// A real definition with one key written twice: JSON readers would keep
/// one value or the other, so the import refuses it and names the key.
#[test]
fn a_key_written_twice_in_a_real_file_is_refused_by_name() {
    let (file, _) = manifest()
        .into_iter()
        .find(|(_, complete)| complete == "yes")
        .unwrap();
    let text = std::fs::read_to_string(fixtures().join(&file)).unwrap();
    assert!(import(&text).is_ok(), "{file}");
    let (before, after) = text.split_once("\"family\"").expect("a family");
    let doubled = format!("{before}\"family\": \"copy\",\n\"family\"{after}");
    let error = import(&doubled).unwrap_err();
    assert!(
        error
            .message
            .starts_with("taskDefinition.family: this key is given twice in one object"),
        "{file}: {}",
        error.message
    );
    assert_eq!(error.line, before.lines().count() + 1, "{file}");
}

#[test]
fn every_complete_file_round_trips_through_export() {
    for (file, _) in manifest()
        .into_iter()
        .filter(|(_, complete)| complete == "yes")
    {
        let text = std::fs::read_to_string(fixtures().join(&file)).unwrap();
        let Some(definition) = import(&text).unwrap().definition else {
            continue;
        };
        let again = import(&export(&definition)).unwrap().definition.unwrap();
        assert_eq!(again, definition, "{file}");
    }
}
