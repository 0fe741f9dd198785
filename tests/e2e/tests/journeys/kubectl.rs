//! Issue 16's journeys: EKS lessons done the way they are done at work,
//! with kubectl, `aws eks` and a manifest written in the file editor.

use super::terminal::no_failed_commands;
use super::*;

/// Types one line at the prompt and presses Enter.
async fn type_line(client: &Client, line: &str) {
    let prompt = client
        .find(Locator::Css(".terminal-prompt textarea"))
        .await
        .expect("the terminal's prompt");
    click_element(client, prompt.clone()).await;
    prompt.send_keys(line).await.unwrap();
    prompt.send_keys(&Key::Enter.to_string()).await.unwrap();
}

/// Waits until the last command's output contains `expected`.
async fn wait_for_output(client: &Client, expected: &str) {
    wait_for_contains(
        client,
        ".terminal-entry:last-child .terminal-stdout",
        expected,
    )
    .await;
}

/// The Fargate profile lesson by typing kubectl and `aws eks`: the web
/// pods are Pending, a profile for their namespace does not move them,
/// `kubectl rollout restart` does; then the HPA lesson with a Deployment
/// and HPA manifest written in the editor and applied with `kubectl apply`.
#[tokio::test(flavor = "multi_thread")]
async fn a_learner_does_two_eks_lessons_with_kubectl_and_a_manifest() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;
    client
        .goto(&format!(
            "{}lesson/pods-on-a-fargate-profile/",
            server.base_url
        ))
        .await
        .unwrap();
    wait_for_text(
        &client,
        "#lesson-title",
        "Pods run on Fargate only through a profile",
    )
    .await;
    type_line(&client, "kubectl get pods").await;
    wait_for_output(&client, "Pending").await;
    type_line(
        &client,
        "aws eks create-fargate-profile --cluster-name jobs --fargate-profile-name web-profile --pod-execution-role-arn arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole --selectors namespace=default",
    )
    .await;
    wait_for_output(&client, "\"fargateProfileName\": \"web-profile\"").await;
    type_line(&client, "kubectl rollout restart deployment/web").await;
    wait_for_output(&client, "deployment.apps/web restarted").await;
    type_line(&client, "kubectl rollout status deployment/web").await;
    wait_for_output(&client, "successfully rolled out").await;
    type_line(&client, "kubectl get pods -o wide").await;
    wait_for_output(&client, "fargate-ip-").await;
    wait_for_text(&client, ".goal-met", "Goal met").await;
    no_failed_commands(&client, "pods-on-a-fargate-profile").await;
    screenshot(&client, "kubectl-fargate-profile-lesson.png").await;

    client
        .goto(&format!(
            "{}lesson/hpa-scales-pods-the-autoscaler-nodes/",
            server.base_url
        ))
        .await
        .unwrap();
    wait_for_text(
        &client,
        "#lesson-title",
        "The HPA scales pods; the Cluster Autoscaler scales nodes",
    )
    .await;
    type_line(&client, "edit web.yaml").await;
    wait_for_text(&client, ".file-editor label", "Editing web.yaml").await;
    let manifest =
        include_str!("../../../../lessons/solutions/hpa-scales-pods-the-autoscaler-nodes.sh")
            .split_once("echo '")
            .and_then(|(_, rest)| rest.split_once("' > web.yaml"))
            .expect("the solution's manifest")
            .0
            .to_string();
    let editor = client.find(Locator::Css("#file-text")).await.unwrap();
    click_element(&client, editor.clone()).await;
    editor.send_keys(&manifest).await.unwrap();
    click(&client, ".file-editor .save-file").await;
    wait_for_text(&client, ".file-list .file", "web.yaml").await;
    screenshot(&client, "kubectl-manifest-in-the-editor.png").await;
    type_line(&client, "kubectl apply -f web.yaml").await;
    wait_for_output(&client, "horizontalpodautoscaler.autoscaling/web created").await;
    type_line(
        &client,
        r#"dockyard set-pod-load --deployment web --load '{"shape": "spike", "base": 400, "peak": 4000, "at": 600, "duration": 1800}'"#,
    )
    .await;
    minutes(&client, 26).await;
    type_line(&client, "kubectl get hpa").await;
    wait_for_output(&client, "Deployment/web").await;
    wait_for_text(&client, ".goal-met", "Goal met").await;
    no_failed_commands(&client, "hpa-scales-pods-the-autoscaler-nodes").await;
    screenshot(&client, "kubectl-hpa-lesson.png").await;
}

/// The storage lesson with manifests: the second catalog pod waits for
/// its EBS volume's zone (read in `describe pod` and `describe pv`), and
/// an EFS StorageClass, PersistentVolume and ReadWriteMany claim written
/// in the editor let both replicas run on the two nodes.
#[tokio::test(flavor = "multi_thread")]
async fn a_learner_moves_shared_files_from_ebs_to_efs_with_manifests() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;
    client
        .goto(&format!(
            "{}lesson/ebs-holds-its-pods-to-one-zone/",
            server.base_url
        ))
        .await
        .unwrap();
    wait_for_text(
        &client,
        "#lesson-title",
        "An EBS volume holds its pods to one zone and one node; EFS is shared",
    )
    .await;
    type_line(&client, "sleep 180").await;
    type_line(&client, "kubectl describe pod catalog-00002").await;
    wait_for_output(&client, "1 node(s) had volume node affinity conflict").await;
    type_line(&client, "kubectl describe pv").await;
    wait_for_output(&client, "topology.kubernetes.io/zone in [").await;
    screenshot(&client, "kubectl-ebs-zone-affinity.png").await;

    type_line(&client, "edit catalog.yaml").await;
    wait_for_text(&client, ".file-editor label", "Editing catalog.yaml").await;
    let manifest = include_str!("../../../../lessons/solutions/ebs-holds-its-pods-to-one-zone.sh")
        .split_once("echo '")
        .and_then(|(_, rest)| rest.split_once("' > catalog.yaml"))
        .expect("the solution's manifest")
        .0
        .to_string();
    let editor = client.find(Locator::Css("#file-text")).await.unwrap();
    click_element(&client, editor.clone()).await;
    editor.send_keys(&manifest).await.unwrap();
    click(&client, ".file-editor .save-file").await;
    wait_for_text(&client, ".file-list .file", "catalog.yaml").await;
    type_line(&client, "kubectl apply -f catalog.yaml").await;
    wait_for_output(&client, "deployment.apps/catalog configured").await;
    type_line(&client, "kubectl rollout status deployment/catalog").await;
    wait_for_output(&client, "successfully rolled out").await;
    type_line(&client, "kubectl get pods -o wide").await;
    wait_for_output(&client, "ip-10-0-0-6.ec2.internal").await;
    wait_for_text(&client, ".goal-met", "Goal met").await;
    screenshot(&client, "kubectl-efs-shared-lesson.png").await;
}
