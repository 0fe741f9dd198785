# Across accounts the repository policy must allow the puller as well as the
# puller's own identity policy. On Fargate the puller is the task execution
# role, so the images account names that role (the payments team's statement
# stays).
aws ecr get-repository-policy --registry-id 444455556666 --repository-name shared/base --query policyText --output text
aws ecr set-repository-policy --registry-id 444455556666 --repository-name shared/base --policy-text '{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "PullForPayments", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::777788889999:root"},
     "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]},
    {"Sid": "PullForPlatformTasks", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/platformExecutionRole"},
     "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]}
  ]
}' --query repositoryName
aws ecs update-service --cluster platform --service api --force-new-deployment --query 'service.deployments[0].status'
aws ecs wait services-stable --cluster platform --services api
