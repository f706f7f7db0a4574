using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Baton.Persistence.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Retries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "retry_attempts",
                table: "work_items",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "retry_delay_seconds",
                table: "work_items",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "retry_exit_codes",
                table: "work_items",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<int>(
                name: "retries",
                table: "plan_items",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "retry_attempts",
                table: "work_items");

            migrationBuilder.DropColumn(
                name: "retry_delay_seconds",
                table: "work_items");

            migrationBuilder.DropColumn(
                name: "retry_exit_codes",
                table: "work_items");

            migrationBuilder.DropColumn(
                name: "retries",
                table: "plan_items");
        }
    }
}
