# Eight tasks on the Auto Scaling group's capacity provider: managed
# scaling launches the instances they need.
aws ecs describe-capacity-providers --capacity-providers shop-asg
aws ecs create-service --cluster shop --service-name web --task-definition web \
    --desired-count 8 --capacity-provider-strategy capacityProvider=shop-asg,weight=1
