using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FastRealtime.Chat.Gateways.Dispatch;

/// <summary>
/// Checks a payload against the System.ComponentModel.DataAnnotations attributes on its type, nested objects and
/// collections of objects included. Built once per payload type at start-up (compiled property getters, attribute
/// lists), so a valid payload is checked with no reflection and no allocation beyond boxing value-type members.
/// </summary>
/// <remarks>
/// Messages name the field as the client wrote it (the JSON name: camelCase or [JsonPropertyName]), with a path for
/// nested fields: "The field room.name must be a string with a maximum length of 50.". All failures are reported,
/// joined with "; ".
/// </remarks>
internal sealed class PayloadValidator
{
    private readonly PropertyRule[] _rules;

    private PayloadValidator(PropertyRule[] rules) => _rules = rules;

    /// <summary>Null when neither the type nor anything it contains carries a validation attribute.</summary>
    public static PayloadValidator? For(Type type, JsonSerializerOptions options) =>
        Build(type, options, new Dictionary<Type, PayloadValidator?>());

    /// <summary>Null when valid; otherwise the message for the client.</summary>
    public string? Validate(object? payload)
    {
        if (payload is null) return "The payload (data) is required.";
        List<string>? errors = null;
        Check(payload, prefix: null, ref errors);
        return errors is null ? null : string.Join("; ", errors);
    }

    private void Check(object target, string? prefix, ref List<string>? errors)
    {
        foreach (var rule in _rules)
        {
            object? value = rule.Get(target);
            string field = prefix is null ? rule.JsonName : $"{prefix}.{rule.JsonName}";
            foreach (var attribute in rule.Attributes)
            {
                if (IsValid(attribute, value, target, rule.Name)) continue;
                (errors ??= []).Add(attribute.FormatErrorMessage(field));
            }
            if (value is null) continue;
            if (rule.Nested is { } nested)
            {
                nested.Check(value, field, ref errors);
            }
            else if (rule.Elements is { } elements && value is IEnumerable items)
            {
                int index = 0;
                foreach (var item in items)
                {
                    if (item is not null) elements.Check(item, $"{field}[{index}]", ref errors);
                    index++;
                }
            }
        }
    }

    private static bool IsValid(ValidationAttribute attribute, object? value, object target, string memberName)
    {
        if (!attribute.RequiresValidationContext) return attribute.IsValid(value);
        var context = new ValidationContext(target) { MemberName = memberName };
        return attribute.GetValidationResult(value, context) == ValidationResult.Success;
    }

    private static PayloadValidator? Build(Type type, JsonSerializerOptions options, Dictionary<Type, PayloadValidator?> building)
    {
        if (!IsObjectType(type)) return null;
        if (building.TryGetValue(type, out var known)) return known; // recursive types: validate the first level seen
        building[type] = null;

        var rules = new List<PropertyRule>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0) continue;
            var attributes = property.GetCustomAttributes<ValidationAttribute>(inherit: true).ToArray();
            var nested = Build(property.PropertyType, options, building);
            var elementType = ElementType(property.PropertyType);
            var elements = elementType is null ? null : Build(elementType, options, building);
            if (attributes.Length == 0 && nested is null && elements is null) continue;
            rules.Add(new PropertyRule(property.Name, JsonName(property, options), CompileGetter(type, property), attributes, nested, elements));
        }
        var validator = rules.Count == 0 ? null : new PayloadValidator([.. rules]);
        building[type] = validator;
        return validator;
    }

    private static bool IsObjectType(Type type) =>
        !type.IsPrimitive && !type.IsEnum && type != typeof(string) && type != typeof(decimal) && !type.IsArray
        && !typeof(IEnumerable).IsAssignableFrom(type) && type.Namespace?.StartsWith("System", StringComparison.Ordinal) != true;

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    private static string JsonName(PropertyInfo property, JsonSerializerOptions options) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? options.PropertyNamingPolicy?.ConvertName(property.Name)
        ?? property.Name;

    private static Func<object, object?> CompileGetter(Type type, PropertyInfo property)
    {
        var target = Expression.Parameter(typeof(object), "target");
        var read = Expression.Property(Expression.Convert(target, type), property);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(read, typeof(object)), target).Compile();
    }

    private sealed record PropertyRule(
        string Name, string JsonName, Func<object, object?> Get, ValidationAttribute[] Attributes,
        PayloadValidator? Nested, PayloadValidator? Elements);
}
