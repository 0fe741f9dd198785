# Golden output of the terminal: every EKS operation Dockyard simulates,
# with its main errors, on the start of the lesson "Run a service on
# Fargate" (the account has no EKS cluster yet). Regenerate with
# UPDATE_GOLDEN=1 cargo test -p dockyard-terminal --test golden
aws eks list-clusters
aws eks describe-cluster --name jobs
aws eks create-cluster --name jobs --role-arn arn:aws:iam::111122223333:role/eksClusterRole --resources-vpc-config subnetIds=subnet-05ff4ad5d7f52e50c
aws eks create-cluster --name jobs --role-arn arn:aws:iam::111122223333:role/eksClusterRole --resources-vpc-config subnetIds=subnet-05ff4ad5d7f52e50c,subnet-0783ecb10f1b8e404
aws eks create-cluster --name jobs --role-arn arn:aws:iam::111122223333:role/eksClusterRole --resources-vpc-config subnetIds=subnet-05ff4ad5d7f52e50c,subnet-0783ecb10f1b8e404
aws eks describe-cluster --name jobs --query 'cluster.[name,status,roleArn]' --output text
aws eks list-clusters
aws eks create-nodegroup --cluster-name jobs --nodegroup-name workers --scaling-config minSize=1,maxSize=3,desiredSize=2 --instance-types m5.large --node-role arn:aws:iam::111122223333:role/eksNodeRole --subnets subnet-05ff4ad5d7f52e50c subnet-0783ecb10f1b8e404
aws eks create-nodegroup --cluster-name jobs --nodegroup-name workers --instance-types m5.large --node-role arn:aws:iam::111122223333:role/eksNodeRole --subnets subnet-05ff4ad5d7f52e50c
aws eks create-nodegroup --cluster-name jobs --nodegroup-name gpu --capacity-type CAPACITY_BLOCK --instance-types m5.large --node-role arn:aws:iam::111122223333:role/eksNodeRole --subnets subnet-05ff4ad5d7f52e50c
aws eks create-nodegroup --cluster-name nowhere --nodegroup-name workers --node-role arn:aws:iam::111122223333:role/eksNodeRole --subnets subnet-05ff4ad5d7f52e50c
sleep 300
aws eks describe-nodegroup --cluster-name jobs --nodegroup-name workers --query 'nodegroup.[status,capacityType,scalingConfig.desiredSize]' --output text
aws eks list-nodegroups --cluster-name jobs
aws eks update-nodegroup-config --cluster-name jobs --nodegroup-name workers --scaling-config desiredSize=3
aws eks update-nodegroup-config --cluster-name jobs --nodegroup-name workers --scaling-config desiredSize=5
aws eks describe-nodegroup --cluster-name jobs --nodegroup-name ghost
aws eks create-fargate-profile --cluster-name jobs --fargate-profile-name web-profile --pod-execution-role-arn arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole --selectors namespace=default namespace=api,labels={tier=front}
aws eks create-fargate-profile --cluster-name jobs --fargate-profile-name eks-web --pod-execution-role-arn arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole --selectors namespace=default
aws eks describe-fargate-profile --cluster-name jobs --fargate-profile-name web-profile --query 'fargateProfile.selectors'
aws eks describe-fargate-profile --cluster-name jobs --fargate-profile-name ghost
aws eks list-fargate-profiles --cluster-name jobs
dockyard launch-self-managed-nodes --cluster jobs --name platform-asg --instance-type m5.large --count 2 --node-role arn:aws:iam::111122223333:role/platform-node
sleep 300
aws eks list-access-entries --cluster-name jobs
aws eks create-access-entry --cluster-name jobs --principal-arn arn:aws:iam::111122223333:role/platform-node --type EC2_LINUX
aws eks create-access-entry --cluster-name jobs --principal-arn arn:aws:iam::111122223333:role/platform-node --type EC2_LINUX
aws eks create-access-entry --cluster-name jobs --principal-arn arn:aws:iam::111122223333:role/platform-admin
aws eks associate-access-policy --cluster-name jobs --principal-arn arn:aws:iam::111122223333:role/platform-admin --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy --access-scope type=namespace,namespaces=default
aws eks associate-access-policy --cluster-name jobs --principal-arn arn:aws:iam::111122223333:role/platform-node --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy --access-scope type=cluster
aws eks describe-access-entry --cluster-name jobs --principal-arn arn:aws:iam::111122223333:role/platform-node --query 'accessEntry.[type,username]' --output text
aws eks list-access-entries --cluster-name jobs
aws eks delete-cluster --name jobs
