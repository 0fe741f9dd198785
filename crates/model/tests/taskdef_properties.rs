//! Properties of the importer: whatever the exporter writes, the importer
//! reads back equal; and no input, however strange, makes it panic.

use dockyard_model::taskdef::{check, export, import, import_value};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Field names that reach the typed paths, mixed with names ECS lacks.
const KEYS: &[&str] = &[
    "family",
    "containerDefinitions",
    "cpu",
    "memory",
    "networkMode",
    "requiresCompatibilities",
    "volumes",
    "name",
    "image",
    "essential",
    "portMappings",
    "containerPort",
    "hostPort",
    "protocol",
    "mountPoints",
    "sourceVolume",
    "containerPath",
    "logConfiguration",
    "logDriver",
    "options",
    "dependsOn",
    "containerName",
    "condition",
    "healthCheck",
    "command",
    "efsVolumeConfiguration",
    "fileSystemId",
    "host",
    "sourcePath",
    "ephemeralStorage",
    "sizeInGiB",
    "taskDefinition",
    "revision",
    "tags",
    "key",
    "value",
    "secrets",
    "valueFrom",
    "memoryReservation",
    "links",
    "extraField",
    "x",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        (0u32..20000).prop_map(|n| Value::from(n.to_string())),
        "[a-zA-Z0-9:/._@ -]{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn validation_never_panics_on_arbitrary_json(value in json_value()) {
        let _ = check(&value.to_string());
    }

    #[test]
    fn import_never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
        let _ = import(&text);
    }

    #[test]
    fn whatever_the_exporter_writes_the_importer_reads_back_equal(value in json_value()) {
        if let Some(definition) = import_value(value).definition {
            let exported = export(&definition);
            let again = import(&exported).expect("the exporter writes JSON").definition.expect("a definition");
            prop_assert_eq!(again, definition);
        }
    }
}

/// Guards the round-trip property against passing vacuously: enough
/// generated inputs must import as definitions for it to mean something.
#[test]
fn the_generator_reaches_the_typed_importer() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = json_value();
    let total = 2000;
    let imported = (0..total)
        .filter(|_| {
            let value = strategy.new_tree(&mut runner).unwrap().current();
            import_value(value).definition.is_some_and(|d| {
                !d.unknown.is_empty() || !d.family.is_empty() || !d.container_definitions.is_empty()
            })
        })
        .count();
    assert!(
        imported * 20 >= total,
        "only {imported} of {total} generated values imported as definitions"
    );
}

/// Found by cargo-fuzz: a huge number in an unknown field came back as a
/// different float after export, until serde_json parsed floats exactly.
#[test]
fn huge_numbers_survive_export_and_import() {
    let text = r#"{"family": "web", "containerDefini&tions": [{"portMappings": [{"containerPort":
        808777777777777777777777777777777777777777777777777777777777777777777770}]}]}"#;
    let definition = import(text).unwrap().definition.unwrap();
    let again = import(&export(&definition)).unwrap().definition.unwrap();
    assert_eq!(again, definition);
}

/// Found by cargo-fuzz: a wrapper inside the wrapper used to be unwrapped
/// twice, once on import and again on re-import of the export.
#[test]
fn only_describe_output_is_unwrapped() {
    let text = r#"{"taskDefinition": {"taskDefinition": {}}}"#;
    let definition = import(text).unwrap().definition.unwrap();
    assert!(definition.unknown.contains_key("taskDefinition"));
    let again = import(&export(&definition)).unwrap().definition.unwrap();
    assert_eq!(again, definition);
}
