# Fargate runs the tasks it is asked for; Service Auto Scaling decides how
# many. A scalable target with bounds, and a target tracking policy on CPU.
aws ecs create-service --cluster shop --service-name web --task-definition web \
    --desired-count 2 --launch-type FARGATE \
    --network-configuration "awsvpcConfiguration={subnets=[subnet-05ff4ad5d7f52e50c,subnet-0783ecb10f1b8e404,subnet-091114153a4888c81],assignPublicIp=ENABLED}" --query 'service.status'
aws application-autoscaling register-scalable-target --service-namespace ecs \
    --resource-id service/shop/web --scalable-dimension ecs:service:DesiredCount \
    --min-capacity 2 --max-capacity 20
aws application-autoscaling put-scaling-policy --service-namespace ecs \
    --resource-id service/shop/web --scalable-dimension ecs:service:DesiredCount \
    --policy-name cpu50 --policy-type TargetTrackingScaling \
    --target-tracking-scaling-policy-configuration \
    'TargetValue=50,PredefinedMetricSpecification={PredefinedMetricType=ECSServiceAverageCPUUtilization}'
# The traffic is the world's, not an AWS call:
dockyard set-load --service web \
    --load '{"shape": "spike", "base": 1024, "peak": 4096, "at": 1200, "duration": 1800}'
