# On Fargate there is no instance profile: the task execution role pulls
# the image from ECR (and ships the logs).
aws iam create-role --role-name pullExecutionRole --assume-role-policy-document '{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]
}' --query 'Role.Arn'
aws iam attach-role-policy --role-name pullExecutionRole \
    --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
aws ecs register-task-definition --family report --requires-compatibilities FARGATE \
    --network-mode awsvpc --cpu 256 --memory 512 \
    --execution-role-arn arn:aws:iam::111122223333:role/pullExecutionRole \
    --container-definitions '[{"name": "report", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/report:1.0", "essential": true}]' \
    --query 'taskDefinition.taskDefinitionArn'
aws ecs create-service --cluster dev --service-name report --task-definition report \
    --desired-count 1 --launch-type FARGATE \
    --network-configuration "awsvpcConfiguration={subnets=[subnet-05ff4ad5d7f52e50c,subnet-0783ecb10f1b8e404,subnet-091114153a4888c81],assignPublicIp=ENABLED}" --query 'service.status'
