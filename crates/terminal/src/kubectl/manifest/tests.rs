//! Manifests from the Kubernetes and EKS documentation, read as the model
//! takes them; and the API server's refusals, in its words.

use super::*;
use crate::kubectl::yaml;

fn read_all(text: &str) -> Vec<Result<(Object, Unsimulated), Refusal>> {
    yaml::documents(text)
        .expect("valid YAML")
        .iter()
        .map(|d| read(d, "f.yaml"))
        .collect()
}

#[test]
fn the_deployment_pages_nginx_deployment() {
    let read = read_all(include_str!(
        "../../../tests/manifests/nginx-deployment.yaml"
    ));
    let (Object::Deployment(d), unsimulated) = read[0].clone().unwrap() else {
        panic!("a deployment")
    };
    assert_eq!((d.name.as_str(), d.replicas), ("nginx-deployment", 3));
    assert_eq!(d.containers[0].image, "nginx:1.14.2");
    assert_eq!((d.cpu_millicores, d.memory_mib), (0, 0));
    assert_eq!(unsimulated, vec!["spec.template.spec.containers[0].ports"]);
}

#[test]
fn the_hpa_walkthrough_with_its_service() {
    let read = read_all(include_str!("../../../tests/manifests/php-apache.yaml"));
    assert_eq!(read.len(), 3);
    let (Object::Deployment(d), _) = read[0].clone().unwrap() else {
        panic!()
    };
    assert_eq!((d.replicas, d.cpu_millicores), (1, 200));
    let (service, _) = read[1].clone().unwrap();
    assert_eq!(service.reference(), "service/php-apache");
    assert!(matches!(service, Object::NotSimulated { .. }));
    let (
        Object::Hpa {
            deployment, hpa, ..
        },
        unsimulated,
    ) = read[2].clone().unwrap()
    else {
        panic!()
    };
    assert_eq!(deployment, "php-apache");
    assert_eq!(
        (
            hpa.min_replicas,
            hpa.max_replicas,
            hpa.target_cpu_utilization
        ),
        (1, 10, 50.0)
    );
    assert!(unsimulated.is_empty(), "{unsimulated:?}");
}

#[test]
fn the_eks_sample_app_names_what_is_not_simulated() {
    let read = read_all(include_str!("../../../tests/manifests/eks-sample-app.yaml"));
    assert_eq!(
        read[0].clone().unwrap().0,
        Object::Namespace {
            name: "eks-sample-app".into()
        }
    );
    let (Object::Deployment(d), unsimulated) = read[1].clone().unwrap() else {
        panic!()
    };
    assert_eq!(d.namespace.as_deref(), Some("eks-sample-app"));
    // Its required node affinity (amd64 or arm64) and nodeSelector are
    // simulated; EKS's x86 nodes carry kubernetes.io/arch=amd64.
    assert_eq!(d.node_rules.required_terms.len(), 1);
    assert_eq!(d.node_rules.required_terms[0][0].key, "kubernetes.io/arch");
    assert_eq!(
        d.node_rules.required_terms[0][0].values,
        vec!["amd64".to_string(), "arm64".to_string()]
    );
    assert_eq!(
        unsimulated,
        vec![
            "spec.template.spec.containers[0].imagePullPolicy",
            "spec.template.spec.containers[0].ports",
        ]
    );
}

fn refusal(text: &str) -> String {
    match read_all(text).remove(0) {
        Err(refusal) => refusal.text(),
        Ok(object) => panic!("taken: {object:?}"),
    }
}

const WEB: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: WEB_LABEL\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        resources:\n          requests:\n            cpu: CPU\n          limits:\n            cpu: \"1\"\n";

#[test]
fn a_selector_that_misses_its_template_is_refused_as_the_api_server_words_it() {
    let text = WEB.replace("WEB_LABEL", "api").replace("CPU", "250m");
    assert_eq!(
        refusal(&text),
        "The Deployment \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`"
    );
}

#[test]
fn requests_above_limits_and_bad_quantities() {
    let text = WEB.replace("WEB_LABEL", "web").replace("CPU", "\"2\"");
    assert_eq!(
        refusal(&text),
        "The Deployment \"web\" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"
    );
    let text = WEB.replace("WEB_LABEL", "web").replace("CPU", "lots");
    assert!(refusal(&text).starts_with(
        "Error from server (BadRequest): Deployment in version \"v1\" cannot be handled as a Deployment: quantities must match"
    ));
}

#[test]
fn several_causes_are_listed() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: -1\n  template:\n    spec:\n      containers:\n      - name: web\n";
    assert_eq!(
        refusal(text),
        "The Deployment \"web\" is invalid: \n* spec.replicas: Invalid value: -1: must be greater than or equal to 0\n* spec.selector: Required value\n* spec.template.spec.containers[0].image: Required value"
    );
}

#[test]
fn kinds_and_versions_kubernetes_does_not_serve() {
    let text = "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: old\n";
    assert_eq!(
        refusal(text),
        "error: resource mapping not found for name: \"old\" namespace: \"\" from \"f.yaml\": no matches for kind \"Deployment\" in version \"extensions/v1beta1\"\nensure CRDs are installed first"
    );
    assert!(refusal("kind: Pod\nmetadata:\n  name: p\n").contains("apiVersion not set"));
    assert!(
        refusal("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Bad_Name\n")
            .contains("metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label")
    );
}

#[test]
fn a_limit_alone_is_the_request_and_init_containers_count_by_their_largest() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  selector:\n    matchLabels: {a: b}\n  template:\n    metadata:\n      labels: {a: b}\n    spec:\n      initContainers:\n      - name: init\n        image: busybox\n        resources: {requests: {cpu: '2', memory: 64Mi}}\n      containers:\n      - {name: a, image: x, resources: {limits: {cpu: 500m, memory: 1Gi}}}\n      - {name: b, image: z, resources: {requests: {cpu: 250m, memory: 256Mi}}}\n";
    let (Object::Deployment(d), _) = read_all(text).remove(0).unwrap() else {
        panic!()
    };
    assert_eq!((d.cpu_millicores, d.memory_mib), (2000, 1280));
}
