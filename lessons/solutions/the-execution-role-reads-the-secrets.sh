# ECS reads a task's secrets with the task execution role, before it pulls
# the image; the task role never starts a task. The policy names the
# secret's ARN with the six characters Secrets Manager appends (-??????).
aws iam put-role-policy --role-name apiExecutionRole --policy-name read-db-password --policy-document '{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
    "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-password-??????"}]
}'
# A service that kept failing waits longer between launches; an update ends the wait.
aws ecs update-service --cluster prod --service api --force-new-deployment --query 'service.status'
aws ecs wait services-stable --cluster prod --services api
