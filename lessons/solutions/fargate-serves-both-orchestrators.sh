# ECS: a service whose tasks run on Fargate, each in its own micro-VM
# (awsvpc networking: the task gets its own network interface in the subnets).
aws ec2 describe-subnets --query 'Subnets[].SubnetId'
aws ecs create-service --cluster shop --service-name web --task-definition web --desired-count 2 --launch-type FARGATE --network-configuration 'awsvpcConfiguration={subnets=[subnet-05ff4ad5d7f52e50c,subnet-0783ecb10f1b8e404],assignPublicIp=ENABLED}'
# EKS: a cluster with no nodes at all. Nothing runs on Fargate by default:
# a Fargate profile chooses the pods, by namespace (and labels), when each
# pod is created, so the profile comes before the Deployment.
aws eks create-cluster --name shop-k8s --role-arn arn:aws:iam::111122223333:role/eksClusterRole --resources-vpc-config subnetIds=subnet-05ff4ad5d7f52e50c,subnet-0783ecb10f1b8e404
aws eks wait cluster-active --name shop-k8s
aws eks create-fargate-profile --cluster-name shop-k8s --fargate-profile-name default-profile --pod-execution-role-arn arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole --selectors namespace=default
aws eks wait fargate-profile-active --cluster-name shop-k8s --fargate-profile-name default-profile
kubectl create deployment web --image=public.ecr.aws/nginx/nginx:1.27 --replicas=2
kubectl rollout status deployment/web
aws ecs wait services-stable --cluster shop --services web
kubectl get pods -o wide
