# Golden output of the terminal: every ECS, IAM, EC2, STS and Application
# Auto Scaling operation Dockyard simulates, with its main errors, on the
# start of the lesson "Run a service on Fargate" (cluster shop, task
# definition web). Regenerate with UPDATE_GOLDEN=1 cargo test -p dockyard-terminal --test golden
aws sts get-caller-identity
aws ec2 describe-vpcs --query 'Vpcs[0].[VpcId,CidrBlock,IsDefault]' --output text
aws ec2 describe-subnets --query 'Subnets[].[SubnetId,AvailabilityZone,CidrBlock]' --output table
aws ec2 describe-security-groups --query 'SecurityGroups[0].GroupName'
aws ec2 describe-subnets --subnet-ids subnet-nope
aws ecs list-clusters
aws ecs describe-clusters --clusters shop nowhere
aws ecs create-cluster --cluster-name shop --query 'cluster.status'
aws ecs list-task-definitions
aws ecs list-task-definition-families
aws ecs describe-task-definition --task-definition web:9
aws ecs register-task-definition --family api --requires-compatibilities FARGATE --network-mode awsvpc --cpu 256 --memory 4096 --container-definitions '[{"name": "api", "image": "nginx"}]'
aws ecs register-task-definition --family api --requires-compatibilities FARGATE --network-mode awsvpc --cpu 256 --memory 512 --container-definitions '[{"name": "api", "image": "public.ecr.aws/nginx/nginx:1.27", "essential": true}]' --query 'taskDefinition.[taskDefinitionArn,revision,status]' --output text
aws ecs create-service --cluster shop --service-name web --task-definition web --desired-count 2 --launch-type FARGATE
aws ecs create-service --cluster shop --service-name web --task-definition web --desired-count 2 --launch-type FARGATE --capacity-provider-strategy capacityProvider=FARGATE,weight=1 --network-configuration awsvpcConfiguration={subnets=[subnet-05ff4ad5d7f52e50c]}
aws ecs create-service --cluster shop --service-name web --task-definition web --desired-count 2 --launch-type FARGATE --network-configuration 'awsvpcConfiguration={subnets=[subnet-05ff4ad5d7f52e50c,subnet-0783ecb10f1b8e404],assignPublicIp=ENABLED}' --query 'service.[serviceName,status,desiredCount,launchType]' --output text
aws ecs wait services-stable --cluster shop --services web
aws ecs describe-services --cluster shop --services web ghost --query '{running: services[0].runningCount, failures: failures[].reason}'
aws ecs list-services --cluster shop
aws ecs list-tasks --cluster shop --service-name web
aws ecs describe-tasks --cluster shop --tasks t-1 --query 'tasks[0].[lastStatus,desiredStatus,launchType,availabilityZone,group]' --output text
aws ecs update-service --cluster shop --service web --desired-count 3 --query 'service.desiredCount'
aws ecs update-service --cluster shop --service web --task-definition api --query 'service.deployments[].[status,taskDefinition]' --output text
aws ecs run-task --cluster shop --task-definition api --launch-type FARGATE --network-configuration 'awsvpcConfiguration={subnets=[subnet-05ff4ad5d7f52e50c]}' --query 'tasks[].[lastStatus,group]' --output text
aws ecs wait tasks-running --cluster shop --tasks t-6
aws ecs stop-task --cluster shop --task t-6 --reason done --query 'task.desiredStatus'
aws ecs wait tasks-stopped --cluster shop --tasks t-6
aws ecs deregister-task-definition --task-definition api:1 --query 'taskDefinition.status'
aws ecs run-task --cluster shop --task-definition api:1 --launch-type FARGATE --network-configuration 'awsvpcConfiguration={subnets=[subnet-05ff4ad5d7f52e50c]}'
aws ecs list-task-definitions --status INACTIVE
aws ecs describe-task-definition --task-definition api:1 --query 'taskDefinition.status'
aws ecs deregister-task-definition --task-definition api
aws ecs list-container-instances --cluster shop
aws ecs describe-capacity-providers --query 'capacityProviders[].name'
aws ecs stop-task --cluster shop --task t-404
aws ecs list-services --cluster nowhere
aws ecs describe-services --cluster shop --services web --region eu-west-1
aws application-autoscaling register-scalable-target --service-namespace ecs --resource-id service/shop/web --scalable-dimension ecs:service:DesiredCount --min-capacity 2 --max-capacity 6
aws application-autoscaling put-scaling-policy --service-namespace ecs --resource-id service/shop/web --scalable-dimension ecs:service:DesiredCount --policy-name cpu60 --policy-type TargetTrackingScaling --target-tracking-scaling-policy-configuration '{"TargetValue": 60, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}' --query PolicyARN
aws application-autoscaling describe-scaling-policies --service-namespace ecs --query 'ScalingPolicies[].[PolicyName,PolicyType]' --output text
aws application-autoscaling put-scaling-policy --service-namespace ecs --resource-id service/shop/ghost --scalable-dimension ecs:service:DesiredCount --policy-name x --policy-type TargetTrackingScaling
aws iam create-role --role-name appRole --assume-role-policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}' --query 'Role.[RoleName,Arn]' --output text
aws iam put-role-policy --role-name appRole --policy-name read --policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}'
aws iam attach-role-policy --role-name appRole --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
aws iam list-attached-role-policies --role-name appRole
aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::111122223333:role/appRole --action-names s3:GetObject s3:DeleteObject --resource-arns arn:aws:s3:::reports/a.csv --query 'EvaluationResults[].[EvalActionName,EvalDecision]' --output text
aws iam get-role --role-name ghost
aws iam create-instance-profile --instance-profile-name p
aws ecs crate-service
aws ecs list-services --clustr shop
aws ecs create-service --generate-cli-skeleton --query networkConfiguration
aws s3 ls
dockyard set-load --service web --load '{"shape": "constant", "units": 1024}'
dockyard crash
sleep 60
sleep 10000000000000000
