# ECS assumes the task role as ecs-tasks.amazonaws.com when it launches a
# task; the role's trust policy, not its permissions, decides whether it may.
aws iam get-role --role-name apiTaskRole --query 'Role.AssumeRolePolicyDocument.Statement[0].Principal'
aws iam update-assume-role-policy --role-name apiTaskRole --policy-document '{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]
}'
# A service that kept failing waits longer between launches; an update ends the wait.
aws ecs update-service --cluster prod --service api --force-new-deployment --query 'service.status'
aws ecs wait services-stable --cluster prod --services api
