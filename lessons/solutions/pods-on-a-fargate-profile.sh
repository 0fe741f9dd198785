# The web pods wait: the cluster has no EC2 nodes (each batch pod's
# Fargate node is tainted, for that pod alone), and no Fargate profile
# selects namespace default (read the scheduler's reason in the events).
kubectl get pods -A -o wide
kubectl get events --field-selector type=Warning
# A profile for namespace default, with the batch profile's pod execution role.
aws eks create-fargate-profile --cluster-name jobs --fargate-profile-name web-profile --pod-execution-role-arn arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole --selectors namespace=default
# EKS chooses Fargate when a pod is created: the pods already Pending stay
# Pending. New pods from a restart are matched by the profile.
kubectl rollout restart deployment/web
kubectl rollout status deployment/web
kubectl get pods -o wide
